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
    public int Connections { get; init; } = 4;

    /// <summary>
    /// QoS 1 publishes unacknowledged per connection. libmosquitto 2.0.11 walks a connection's whole list of in-flight
    /// messages on every publish and every PUBACK (message__release_to_inflight): at 1,000 per connection that walk was
    /// the generator's largest single cost (perf), so the same 1,000 in flight are spread over four connections.
    /// </summary>
    public int MaxInflightPerConnection { get; init; } = 250;

    /// <summary>
    /// Send each publish in its own TCP segment, as a gateway does (TCP_NODELAY). Off by default: the generator's few
    /// connections carry the readings of many gateways, and letting the kernel pack what is written while earlier
    /// segments are unacknowledged saves the generator and the broker per-segment work without changing a byte of MQTT.
    /// </summary>
    public bool TcpNoDelay { get; init; }

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
