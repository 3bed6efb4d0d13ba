using EdgeSafety.Contracts;
using EdgeSafety.Ingest;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A readings message as ingest receives it (ReadingReceiver): topic, plain or partitioned, and payload through
/// <see cref="ReadingCodec.TryParse(string, ReadOnlySpan{byte}, DateTimeOffset, List{ReadingNumber}, out ReadingSource, out Reading, out Rejection)"/>;
/// an accepted reading becomes its InfluxDB point, and written again by the codec it reads back the same.
/// </summary>
public sealed class ReadingsTarget() : FuzzTarget("readings", "ingest: readings topic + payload -> ReadingCodec -> InfluxDB point")
{
    public override byte[] Generate(Random random)
    {
        var (site, gateway, device) = (Generators.Id(random), Generators.Id(random), Generators.Id(random));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = random.Next(1, 12); i > 0; i--)
        {
            values[Generators.ValueName(random)] = Generators.Number(random);
        }

        var reading = new Reading(device, random.Chance(0.5) ? DeviceKind.Meter : DeviceKind.Noise, Generators.Id(random),
            random.Chance(0.5) ? Generators.Id(random) : null, Generators.Sequence(random), Generators.Timestamp(random), values);
        var topic = random.Next(6) switch
        {
            < 3 => Topics.Readings(site, gateway, device),
            < 5 => Topics.PartitionedReadings(site, gateway, device),
            // A partition that is not the device's.
            _ => $"{Topics.Readings(site, gateway, device)}/{(Topics.Partition(site, gateway, device) + 1 + random.Next(Topics.PartitionCount - 1)) % Topics.PartitionCount}",
        };
        return Join(Generators.MutateTopic(random, topic), Mutator.MutateJson(random, ReadingCodec.Serialize(reading)));
    }

    public override void Run(byte[] input, Tally tally)
    {
        var (topic, payload) = Split(input);
        var numbers = new List<ReadingNumber>();
        if (!ReadingCodec.TryParse(topic, payload, Generators.Now, numbers, out var source, out var reading, out var rejection))
        {
            tally.Reject(RejectionLabel.Of(rejection!.Reason));
            return;
        }

        // Validation promises a storable reading: ingest counts a point it cannot build as dropped, a loss. Ingest builds
        // it from the payload's number text; the formatted one is what every other caller gets.
        var received = new ReceivedReading(source, reading!);
        _ = ReadingReceiver.ToPoint(received, payload, numbers).ToString();
        _ = ReadingReceiver.ToPoint(received).ToString();
        var again = ReadingCodec.Serialize(reading!);
        if (!ReadingCodec.TryParse(topic, again, Generators.Now, out _, out var reread, out var rerejection))
        {
            throw new FuzzInvariantException($"an accepted reading written again is refused: {rerejection}");
        }

        if (reread!.Values.Count != reading!.Values.Count || reread.Values.Any(v => reading.Values[v.Key] != v.Value))
        {
            throw new FuzzInvariantException("an accepted reading written again reads back with other values");
        }

        tally.Accept();
    }
}
