namespace EdgeSafety.Appliances;

/// <summary>
/// Which ranges appliance parameters and schedules are drawn from: Training, or HeldOut, whose appliance parameters
/// lie outside the training ranges (other rated currents, spectra, power), so an evaluation on HeldOut measures how a
/// classifier generalises to appliances it has never seen.
/// </summary>
public enum ParameterSet
{
    Training,
    HeldOut,
}

/// <summary>
/// The range one appliance parameter is drawn from. Training draws uniformly in [TrainingMin, TrainingMax]; HeldOut
/// draws uniformly from [HeldOutMin, TrainingMin) and (TrainingMax, HeldOutMax], strictly outside the training
/// range. A shared parameter (HeldOut bounds equal to the training ones) describes the situation, not the appliance
/// (a battery's state of charge at plug-in), and is drawn from the same range in both sets.
/// </summary>
public sealed record ParameterRange(string Name, string Unit, double TrainingMin, double TrainingMax, double HeldOutMin, double HeldOutMax)
{
    public static ParameterRange Shared(string name, string unit, double min, double max) => new(name, unit, min, max, min, max);

    public bool IsShared => HeldOutMin == TrainingMin && HeldOutMax == TrainingMax;

    public double Draw(ParameterSet set, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (set == ParameterSet.Training || IsShared)
        {
            return TrainingMin + (random.NextDouble() * (TrainingMax - TrainingMin));
        }

        var below = TrainingMin - HeldOutMin;
        var above = HeldOutMax - TrainingMax;
        var pick = random.NextDouble() * (below + above);

        // 1 - NextDouble() is in (0, 1]: never the training bound itself.
        var step = 1 - random.NextDouble();
        return pick < below ? TrainingMin - (step * below) : TrainingMax + (step * above);
    }

    public bool InTrainingRange(double value) => value >= TrainingMin && value <= TrainingMax;
}

/// <summary>The parameters drawn for one appliance, by name, as it was drawn: for ground truth and for tests.</summary>
internal sealed class ParameterDraw(ParameterSet set, Random random)
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public ParameterSet Set => set;

    public Random Random => random;

    public IReadOnlyDictionary<string, double> Values => _values;

    public double Draw(ParameterRange range)
    {
        var value = range.Draw(set, random);
        _values[range.Name] = value;
        return value;
    }

    /// <summary>A value drawn for this appliance's behaviour (not one of the documented ranges), the same in both sets.</summary>
    public double Uniform(double min, double max) => min + (random.NextDouble() * (max - min));
}
