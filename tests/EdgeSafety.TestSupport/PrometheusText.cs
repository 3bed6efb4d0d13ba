using System.Globalization;

namespace EdgeSafety.TestSupport;

/// <summary>Reads one sample from a service's /metrics page.</summary>
public static class PrometheusText
{
    public static async Task<double> ReadAsync(HttpClient http, Uri metrics, string sample)
    {
        var text = await http.GetStringAsync(metrics);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(sample + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(sample.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
