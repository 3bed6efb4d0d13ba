using EdgeSafety.Contracts;
using EdgeSafety.Modbus;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Devices.Tests;

public class ProfileTests
{
    private static readonly string ShippedProfiles = RepositoryPaths.File("edge-agent", "profiles");

    [Fact]
    public void Every_shipped_profile_loads()
    {
        var profiles = DeviceProfileLoader.LoadDirectory(ShippedProfiles);

        profiles.Keys.Should().Contain(["harmonic-meter", "noise-sensor-hr0"]);
        profiles["noise-sensor-hr0"].Kind.Should().Be(DeviceKind.Noise);
    }

    [Fact]
    public void The_harmonic_meter_is_read_in_two_transactions()
    {
        var profile = DeviceProfileLoader.LoadFile(Path.Combine(ShippedProfiles, "harmonic-meter.json"));

        var plan = ReadPlan.For(profile);

        // Electrical values 0x0000..0x0049, then THD and harmonics 0x00F0..0x013B: the gap between is too wide to read through.
        plan.Select(b => (b.Table, b.Address, b.Count)).Should().Equal(
            (RegisterTable.Input, (ushort)0x0000, 0x4A),
            (RegisterTable.Input, (ushort)0x00F0, 0x4C));
        plan.Sum(b => b.Values.Count).Should().Be(profile.Values.Count);
    }

    [Fact]
    public void Groups_contiguous_values_and_splits_on_table_gap_and_the_125_register_limit()
    {
        var profile = Profile(maxGap: 2,
            ("a", RegisterTable.Holding, 0, RegisterType.UInt16),
            ("b", RegisterTable.Holding, 1, RegisterType.Float32),
            ("c", RegisterTable.Holding, 5, RegisterType.UInt16),      // gap of 2 after b: same read
            ("d", RegisterTable.Holding, 9, RegisterType.UInt16),      // gap of 3: new read
            ("e", RegisterTable.Input, 0, RegisterType.UInt16),        // other table: new read
            ("f", RegisterTable.Input, 124, RegisterType.Float32),     // would make the read 126 registers: new read
            ("g", RegisterTable.Input, 126, RegisterType.UInt16));

        ReadPlan.For(profile).Select(b => (b.Table, b.Address, b.Count, string.Join("", b.Values.Select(v => v.Name)))).Should().Equal(
            (RegisterTable.Holding, (ushort)0, 6, "abc"),
            (RegisterTable.Holding, (ushort)9, 1, "d"),
            (RegisterTable.Input, (ushort)0, 1, "e"),
            (RegisterTable.Input, (ushort)124, 3, "fg"));
    }

    [Fact]
    public void Decodes_a_block_into_named_values()
    {
        var profile = Profile(maxGap: 4,
            ("voltage_v", RegisterTable.Input, 0, RegisterType.Float32),
            ("current_a", RegisterTable.Input, 6, RegisterType.Float32));
        var block = ReadPlan.For(profile).Single();
        var values = new Dictionary<string, double>();

        ReadPlan.Decode(block, [0x4366, 0x0000, 0, 0, 0, 0, 0x3FC0, 0x0000], values);

        values.Should().Equal(new Dictionary<string, double> { ["voltage_v"] = 230.0, ["current_a"] = 1.5 });
    }

    [Theory]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"v","table":"input","address":0,"type":"float64"}]}""", "values[0].type")]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"v","table":"coils","address":0,"type":"int16"}]}""", "values[0].table")]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"v","table":"input","address":70000,"type":"int16"}]}""", "values[0].address")]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"v","table":"input","address":65535,"type":"int32"}]}""", "values[0].address")]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"Volts","table":"input","address":0,"type":"int16"}]}""", "values[0].name")]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"v","table":"input","address":0,"type":"int16","scale":0}]}""", "values[0].scale")]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"v","table":"input","address":0,"type":"int16","wordOrder":"middle"}]}""", "values[0].wordOrder")]
    [InlineData("""{"model":"m","kind":"meter","values":[{"name":"v","table":"input","address":0,"type":"int16"},{"name":"v","table":"input","address":2,"type":"int16"}]}""", "values[1].name")]
    [InlineData("""{"model":"m","kind":"kettle","values":[{"name":"v","table":"input","address":0,"type":"int16"}]}""", "kind")]
    [InlineData("""{"model":"m","kind":"meter","values":[]}""", "values")]
    [InlineData("""{"model":"m","kind":"meter","vals":[]}""", "vals")]
    [InlineData("""{"model":"m", """, "not a valid profile")]
    public void A_bad_profile_is_refused_naming_the_file_and_the_field(string json, string field)
    {
        using var directory = new TemporaryDirectory("profile");
        var path = directory.Combine("bad.json");
        File.WriteAllText(path, json);

        var load = () => DeviceProfileLoader.LoadFile(path);

        load.Should().Throw<DeviceProfileException>().Which.Message.Should().Contain(path).And.Contain(field);
    }

    private static DeviceProfile Profile(int maxGap, params (string Name, RegisterTable Table, int Address, RegisterType Type)[] values) =>
        new("test", DeviceKind.Meter, "", maxGap,
            [.. values.Select(v => new RegisterValue(v.Name, v.Table, (ushort)v.Address, v.Type, WordOrder.HighFirst, ByteOrder.BigEndian, 1, ""))]);
}
