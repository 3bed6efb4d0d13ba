using EdgeSafety.Devices;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A profile file as the agent loads it (<see cref="DeviceProfileLoader"/>): a clear <see cref="DeviceProfileException"/>
/// or a profile whose read plan keeps to the Modbus limits.
/// </summary>
public sealed class ProfilesTarget() : FuzzTarget("profiles", "agent: device profile file -> DeviceProfileLoader -> read plan")
{
    public override byte[] Generate(Random random) =>
        Mutator.MutateJson(random, random.Chance(0.5) ? random.Pick(ProfileGenerator.Shipped) : ProfileGenerator.Random(random));

    public override void Run(byte[] input, Tally tally)
    {
        DeviceProfile profile;
        try
        {
            profile = DeviceProfileLoader.Load(new MemoryStream(input), "fuzz.json");
        }
        catch (DeviceProfileException ex)
        {
            tally.RejectMessage(ex.Message.Split(" (", 2)[0]);
            return;
        }

        foreach (var block in ReadPlan.For(profile))
        {
            if (block.Count is < 1 or > ReadPlan.MaxRegistersPerRead || block.Address + block.Count > ushort.MaxValue + 1
                || block.Values.Any(v => v.Address < block.Address || v.Address + v.RegisterCount > block.Address + block.Count))
            {
                throw new FuzzInvariantException($"read plan block {block.Table} {block.Address}+{block.Count} breaks the Modbus limits or misses a value");
            }
        }

        tally.Accept();
    }
}
