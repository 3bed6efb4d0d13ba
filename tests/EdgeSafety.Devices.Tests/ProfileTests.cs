using EdgeSafety.Contracts;
using EdgeSafety.Modbus;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Devices.Tests;

public class ProfileTests
{
    private static readonly string ShippedProfiles = RepositoryPaths.File("edge-agent", "profiles");

    [Fact]
    public void Every_shipped_profile_loads_and_is_named_after_its_file()
    {
        var profiles = DeviceProfileLoader.LoadDirectory(ShippedProfiles);

        profiles.Keys.Should().BeEquivalentTo("eastron-sdm120", "eastron-sdm630", "harmonic-meter", "noise-sensor-hr0", "noise-sensor-hr14");
        profiles.Values.Where(p => p.Kind == DeviceKind.Noise).Select(p => p.Model).Should().BeEquivalentTo("noise-sensor-hr0", "noise-sensor-hr14");
        foreach (var file in Directory.EnumerateFiles(ShippedProfiles, "*.json"))
        {
            DeviceProfileLoader.LoadFile(file).Model.Should().Be(Path.GetFileNameWithoutExtension(file));
        }
    }

    [Fact]
    public void Every_value_name_is_one_the_platform_understands()
    {
        // docs/protocol.md, "Value names".
        string[] understood = ["voltage_v", "current_a", "power_w", "apparent_va", "reactive_var", "power_factor", "frequency_hz",
            "energy_kwh", "thd_i_pct", .. Enumerable.Range(2, 30).Select(order => $"h{order}_pct"), "db_a"];

        var names = DeviceProfileLoader.LoadDirectory(ShippedProfiles).Values.SelectMany(p => p.Values).Select(v => v.Name);

        names.Should().OnlyContain(name => understood.Contains(name));
    }

    // The reads each device costs the bus per poll: the Eastron meters read through the registers they do not define
    // (at most 40 parameters, 80 registers, per request), the noise sensors read their one register.
    [Theory]
    [InlineData("eastron-sdm120", "Input 0x0000 74")]
    [InlineData("eastron-sdm630", "Input 0x0000 74", "Input 0x00F0 2")]
    [InlineData("harmonic-meter", "Input 0x0000 74", "Input 0x00F0 76")]
    [InlineData("noise-sensor-hr0", "Holding 0x0000 1")]
    [InlineData("noise-sensor-hr14", "Holding 0x000E 1")]
    public void A_shipped_profile_is_read_in_as_few_transactions_as_its_device_allows(string model, params string[] reads)
    {
        var profile = DeviceProfileLoader.LoadFile(Path.Combine(ShippedProfiles, model + ".json"));

        var plan = ReadPlan.For(profile);

        plan.Select(b => $"{b.Table} 0x{b.Address:X4} {b.Count}").Should().Equal(reads);
        plan.Sum(b => b.Values.Count).Should().Be(profile.Values.Count);
        plan.Should().OnlyContain(b => b.Count <= 80);
    }

    [Fact]
    public void The_sdm120_and_sdm630_share_the_eastron_addresses_and_only_the_sdm630_has_current_thd()
    {
        var sdm120 = DeviceProfileLoader.LoadFile(Path.Combine(ShippedProfiles, "eastron-sdm120.json"));
        var sdm630 = DeviceProfileLoader.LoadFile(Path.Combine(ShippedProfiles, "eastron-sdm630.json"));

        // Eastron's protocol documents: 30001, 30007, 30013, 30019, 30025, 30031, 30071, 30073 (register number - 30001).
        var eastron = new Dictionary<string, int>
        {
            ["voltage_v"] = 0x00, ["current_a"] = 0x06, ["power_w"] = 0x0C, ["apparent_va"] = 0x12, ["reactive_var"] = 0x18,
            ["power_factor"] = 0x1E, ["frequency_hz"] = 0x46, ["energy_kwh"] = 0x48,
        };
        sdm120.Values.ToDictionary(v => v.Name, v => (int)v.Address).Should().Equal(eastron);
        sdm630.Values.Where(v => v.Name != "thd_i_pct").ToDictionary(v => v.Name, v => (int)v.Address).Should().Equal(eastron);
        sdm630.Values.Single(v => v.Name == "thd_i_pct").Address.Should().Be(0x00F0); // 30241, phase 1 current THD
        sdm120.Values.Concat(sdm630.Values).Should().OnlyContain(v =>
            v.Table == RegisterTable.Input && v.Type == RegisterType.Float32 && v.WordOrder == WordOrder.HighFirst && v.ByteOrder == ByteOrder.BigEndian && v.Scale == 1);
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
