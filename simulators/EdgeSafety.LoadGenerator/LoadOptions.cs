namespace EdgeSafety.LoadGenerator;

/// <summary>What a load run publishes, and where.</summary>
public sealed record LoadOptions
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 1883;

    public string Site { get; init; } = "load";

    /// <summary>Virtual gateways (gw-0001, ...), each with <see cref="DevicesPerGateway"/> devices.</summary>
    public int Gateways { get; init; } = 10;

    public int DevicesPerGateway { get; init; } = 10;

    /// <summary>One device in this many is a noise sensor; the rest are harmonic meters (households).</summary>
    public int NoiseSensorEvery { get; init; } = 10;

    /// <summary>Readings per second over all devices (the devices take turns); 0 publishes as fast as the broker acknowledges.</summary>
    public double ReadingsPerSecond { get; init; } = 1000;

    /// <summary>How long to publish.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop after this many readings (0: no limit but <see cref="Duration"/>).</summary>
    public long MaxReadings { get; init; }

    /// <summary>MQTT connections the virtual gateways share (a connection per gateway is needless at loopback rates).</summary>
    public int Connections { get; init; } = 2;

    /// <summary>QoS 1 publishes unacknowledged per connection.</summary>
    public int MaxInflightPerConnection { get; init; } = 1000;

    /// <summary>Publish to the partitioned topic (docs/protocol.md) instead of the plain one.</summary>
    public bool Partitioned { get; init; }

    /// <summary>
    /// Device time between two readings of one device. Null stamps each reading with the wall clock, so a device
    /// publishing many readings a second looks to the analysers like a few seconds of its life; a meter's real interval
    /// (5 s) lets the charging detector and the noise rules see sessions and 5-minute windows within a short run. The
    /// device clocks start at the run's start and may run ahead of the wall clock (ingest accepts a day ahead).
    /// </summary>
    public TimeSpan? ReadingInterval { get; init; }

    /// <summary>
    /// Every n-th device (0: none) has an incident all through the run: a meter's household (from the appliance models
    /// the classifier was trained on) plugs an e-bike charger in at its 7th reading and charges on, a noise sensor hears
    /// a loud event from its first. The other devices have charging sessions and loud events by chance, in a cheaper
    /// synthetic form that carries the load but that the classifier does not take for a charger.
    /// </summary>
    public int IncidentEvery { get; init; }

    /// <summary>Seeds the values, so a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Prefix of the MQTT client ids (one per connection), so that runs side by side do not take over each other's sessions.</summary>
    public string ClientIdPrefix { get; init; } = "edgesafety-load";
}
