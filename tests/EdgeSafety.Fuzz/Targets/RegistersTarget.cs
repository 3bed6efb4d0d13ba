using System.Buffers.Binary;
using EdgeSafety.Contracts;
using EdgeSafety.Devices;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A device's answer as the agent decodes and publishes it (DeviceReader, BusScheduler): the registers of each block of
/// a profile's read plan decoded by type, word order, byte order and scale, written as a reading by
/// <see cref="ReadingCodec"/> and read by ingest as ingest reads it. Input: the profile's JSON, a newline, then the
/// registers' bytes (big-endian, as on the wire).
/// </summary>
public sealed class RegistersTarget() : FuzzTarget("registers", "agent: Modbus registers -> profile decode -> reading -> ingest")
{
    private static readonly ushort[] Interesting = [0x0000, 0xffff, 0x7fff, 0x8000, 0x7f80, 0xff80, 0x7fc0, 0xffc0, 0x0001, 0x7f7f, 0x4000];

    public override byte[] Generate(Random random)
    {
        var registers = new byte[2 * random.Next(1, 260)];
        for (var i = 0; i < registers.Length; i += 2)
        {
            BinaryPrimitives.WriteUInt16BigEndian(registers.AsSpan(i), random.Chance(0.5) ? random.Pick(Interesting) : (ushort)random.Next(65_536));
        }

        var profile = random.Chance(0.3) ? random.Pick(ProfileGenerator.Shipped) : ProfileGenerator.Random(random);
        return [.. profile.Where(b => b is not (byte)'\n'), (byte)'\n', .. registers];
    }

    public override void Run(byte[] input, Tally tally)
    {
        var (profileText, wire) = Split(input);
        DeviceProfile profile;
        try
        {
            profile = DeviceProfileLoader.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(profileText)), "fuzz.json");
        }
        catch (DeviceProfileException)
        {
            tally.Reject("profile_refused");
            return;
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var offset = 0;
        foreach (var block in ReadPlan.For(profile))
        {
            // The registers one read returns: the next bytes of the input, zeros once it runs out.
            var registers = new ushort[block.Count];
            for (var i = 0; i < registers.Length && offset + 1 < wire.Length; i++, offset += 2)
            {
                registers[i] = BinaryPrimitives.ReadUInt16BigEndian(wire.AsSpan(offset));
            }

            for (var leftOut = ReadPlan.Decode(block, registers, values); leftOut > 0; leftOut--)
            {
                tally.Reject("value left out: not a finite number");
            }
        }

        if (values.Count == 0)
        {
            // The agent publishes no reading without a value (ingest would refuse it).
            tally.Reject("no reading: no value is a finite number");
            return;
        }

        var payload = ReadingCodec.Serialize(new Reading("meter-1", profile.Kind, profile.Model, null, 1, Generators.Now, values));
        if (!ReadingCodec.TryParse(Topics.Readings("site", "gw", "meter-1"), payload, Generators.Now, out _, out _, out var rejection))
        {
            throw new FuzzInvariantException($"ingest refuses the reading the agent published: {rejection}");
        }

        tally.Accept();
    }
}
