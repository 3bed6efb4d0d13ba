namespace EdgeSafety.Simulators.Models;

/// <summary>What a simulated device measures, moved on by one step of simulated time.</summary>
public interface IValueModel
{
    void Step(TimeSpan elapsed, IDictionary<string, double> values);
}
