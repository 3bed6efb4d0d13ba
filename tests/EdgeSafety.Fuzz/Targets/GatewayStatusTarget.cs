using EdgeSafety.Contracts;

namespace EdgeSafety.Fuzz.Targets;

/// <summary>
/// A gateway's retained status as ingest (GatewayStatusReceiver) and the dashboard (with the warnings it announces)
/// receive it: GatewayStatus.TryParse.
/// </summary>
public sealed class GatewayStatusTarget() : FuzzTarget("status", "ingest: gateway status topic + payload -> GatewayStatus")
{
    public override byte[] Generate(Random random)
    {
        var (site, gateway) = (Generators.Id(random), Generators.Id(random));
        var payload = random.Chance(0.5) ? GatewayStatus.Online(gateway, random.Chance(0.5) ? [Generators.Id(random), Generators.Id(random)] : null)
            : GatewayStatus.Offline(gateway);
        return Join(Generators.MutateTopic(random, Topics.Status(site, gateway)), Mutator.MutateJson(random, payload));
    }

    public override void Run(byte[] input, Tally tally)
    {
        var (topic, payload) = Split(input);
        if (GatewayStatus.TryParse(topic, payload, out _, out _, out _, out _))
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
