namespace EdgeSafety.Simulators.Noise;

/// <summary>
/// The noise situations wardens meet, each followed by a quiet tail so an exceedance can also be seen to clear. Levels
/// are what a street sensor a few metres away would read, one sample a second.
/// </summary>
public static class NoiseScenarios
{
    public static NoiseScenario PingPongPlaza { get; } = new("ping-pong-plaza",
        "Table tennis on a residential plaza in the evening: ball hits (64-70 dB) over voices, 19:00-21:30.",
        "1", new TimeOnly(19, 0), TimeSpan.FromHours(3), random => new PingPongSource(random, TimeSpan.FromHours(2.5)));

    public static NoiseScenario SquareDancing { get; } = new("square-dancing",
        "Square dancing (广场舞): amplified songs around 70 dB with short pauses, 19:30-21:00.",
        "1", new TimeOnly(19, 30), TimeSpan.FromHours(2), random => new SquareDancingSource(random, TimeSpan.FromHours(1.5)));

    public static NoiseScenario NightParty { get; } = new("night-party",
        "A party in a flat: music around 60 dB and shouts up to 78 dB, 23:00-01:30.",
        "1", new TimeOnly(23, 0), TimeSpan.FromHours(3), random => new NightPartySource(random, TimeSpan.FromHours(2.5)));

    public static NoiseScenario RenovationDrilling { get; } = new("renovation-drilling",
        "Renovation next door in the morning: drilling at 80-86 dB for 20-60 s at a time, 09:00-11:30.",
        "1", new TimeOnly(9, 0), TimeSpan.FromHours(3), random => new RenovationSource(random, TimeSpan.FromHours(2.5)));

    public static NoiseScenario TrafficBackground { get; } = new("traffic-background",
        "A sensor beside a main road in the morning: a steady flow with passing vehicles, within the roadside limits.",
        "4a", new TimeOnly(8, 0), TimeSpan.FromHours(2), random => new TrafficSource(random));

    public static NoiseScenario DoorSlam { get; } = new("door-slam",
        "A quiet night with one door slammed at 02:12:30 (82 dB for a second): a burst, not an exceedance.",
        "1", new TimeOnly(2, 0), TimeSpan.FromMinutes(30), random => new DoorSlamSource(random, TimeSpan.FromMinutes(12.5)));

    public static NoiseScenario SensorDropout { get; } = new("sensor-dropout",
        "Karaoke in the evening (about 64 dB, 20:00-21:30) with the sensor silent from 20:30 to 20:50.",
        "1", new TimeOnly(20, 0), TimeSpan.FromHours(2),
        random => new DropoutSource(random, TimeSpan.FromHours(1.5), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(50)));

    public static IReadOnlyList<NoiseScenario> All { get; } =
        [PingPongPlaza, SquareDancing, NightParty, RenovationDrilling, TrafficBackground, DoorSlam, SensorDropout];

    public static NoiseScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    private sealed class PingPongSource(Random random, TimeSpan activity) : NoiseSource(random)
    {
        public override double? LevelAt(TimeSpan elapsed) =>
            elapsed >= activity ? Around(46, 1.5) : Chance(0.6) ? Between(64, 70) : Between(51, 55);
    }

    private sealed class SquareDancingSource(Random random, TimeSpan activity) : AlternatingSource(random, (200, 260), (15, 30))
    {
        public override double? LevelAt(TimeSpan elapsed) =>
            elapsed >= activity ? Around(46, 1.5) : IsOn(elapsed) ? Around(70, 1.5) : Around(52, 1.5);
    }

    private sealed class NightPartySource(Random random, TimeSpan activity) : NoiseSource(random)
    {
        public override double? LevelAt(TimeSpan elapsed) =>
            elapsed >= activity ? Around(38, 1) : Chance(0.02) ? Between(70, 78) : Around(60, 1.5);
    }

    private sealed class RenovationSource(Random random, TimeSpan activity) : AlternatingSource(random, (20, 60), (30, 120))
    {
        public override double? LevelAt(TimeSpan elapsed) =>
            elapsed >= activity ? Around(47, 1.5) : IsOn(elapsed) ? Between(80, 86) : Around(50, 2);
    }

    private sealed class TrafficSource(Random random) : NoiseSource(random)
    {
        private TimeSpan _passEnds;

        public override double? LevelAt(TimeSpan elapsed)
        {
            if (elapsed >= _passEnds && Chance(0.05))
            {
                _passEnds = elapsed + TimeSpan.FromSeconds(Random.Next(3, 7));
            }

            return elapsed < _passEnds ? Between(63, 69) : Around(55, 1.5);
        }
    }

    private sealed class DoorSlamSource(Random random, TimeSpan slamAt) : NoiseSource(random)
    {
        private bool _slammed;

        public override double? LevelAt(TimeSpan elapsed)
        {
            if (!_slammed && elapsed >= slamAt)
            {
                _slammed = true;
                return 82;
            }

            return Around(37, 0.7);
        }
    }

    private sealed class DropoutSource(Random random, TimeSpan activity, TimeSpan silentFrom, TimeSpan silentUntil) : NoiseSource(random)
    {
        public override double? LevelAt(TimeSpan elapsed) =>
            elapsed >= silentFrom && elapsed < silentUntil ? null
            : elapsed >= activity ? Around(46, 1.5)
            : Around(64, 2);
    }
}
