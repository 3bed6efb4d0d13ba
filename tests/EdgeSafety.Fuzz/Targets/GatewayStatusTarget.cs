using EdgeSafety.Contracts;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>A gateway's retained status as ingest receives it (GatewayStatusReceiver): <see cref="GatewayStatus.TryParse"/>.</summary>
public sealed class GatewayStatusTarget() : FuzzTarget("status", "ingest: gateway status topic + payload -> GatewayStatus")
{
    public override byte[] Generate(Random random)
    {
        var (site, gateway) = (Generators.Id(random), Generators.Id(random));
        var payload = random.Chance(0.5) ? GatewayStatus.Online(gateway) : GatewayStatus.Offline(gateway);
        return Join(Generators.MutateTopic(random, Topics.Status(site, gateway)), Mutator.MutateJson(random, payload));
    }

    public override void Run(byte[] input, Tally tally)
    {
        var (topic, payload) = Split(input);
        if (GatewayStatus.TryParse(topic, payload, out _, out _, out _))
        {
            tally.Accept();
        }
        else
        {
            // Ingest counts these on one counter, without a reason.
            tally.Reject("not_a_status");
        }
    }
}
