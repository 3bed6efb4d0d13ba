using EdgeSafety.Contracts;
using EdgeSafety.Ingest.Alerts;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A device event as ingest receives it (DeviceEventReceiver): topic and payload through
/// <see cref="DeviceEventCodec.TryParse"/>, then the alert signal it states.
/// </summary>
public sealed class DeviceEventsTarget() : FuzzTarget("events", "ingest: device events topic + payload -> DeviceEventCodec -> alert signal")
{
    public override byte[] Generate(Random random)
    {
        var (site, gateway, device) = (Generators.Id(random), Generators.Id(random), Generators.Id(random));
        var detail = new Dictionary<string, object>(StringComparer.Ordinal);
        for (var i = random.Next(0, 5); i > 0; i--)
        {
            detail[Generators.ValueName(random)] = random.Chance(0.5) ? Generators.Number(random) : random.Pick(Mutator.Strings);
        }

        var deviceEvent = new DeviceEvent(device, random.Pick(Enum.GetValues<DeviceEventKind>()), Generators.Sequence(random),
            Generators.Timestamp(random), detail);
        return Join(Generators.MutateTopic(random, Topics.Events(site, gateway, device)),
            Mutator.MutateJson(random, DeviceEventCodec.Serialize(deviceEvent)));
    }

    public override void Run(byte[] input, Tally tally)
    {
        var (topic, payload) = Split(input);
        if (!DeviceEventCodec.TryParse(topic, payload, Generators.Now, out var source, out var deviceEvent, out var rejection))
        {
            tally.Reject(RejectionLabel.Of(rejection!.Reason));
            return;
        }

        _ = DeviceEventReceiver.ToSignal(source, deviceEvent!);
        if (!DeviceEventCodec.TryParse(topic, DeviceEventCodec.Serialize(deviceEvent!), Generators.Now, out _, out _, out var again))
        {
            throw new FuzzInvariantException($"an accepted device event written again is refused: {again}");
        }

        tally.Accept();
    }
}
