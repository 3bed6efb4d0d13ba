using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace EdgeSafety.ServiceDefaults;

/// <summary>
/// A service's counters and gauges, served on /metrics in the Prometheus text format so an operator's
/// Prometheus (or a curl on site) reads them without extra packages.
/// </summary>
public sealed class ServiceMetrics
{
    private readonly ConcurrentDictionary<string, Metric> _metrics = new(StringComparer.Ordinal);

    /// <summary>
    /// A monotonically increasing count. Names follow Prometheus: snake_case with a _total suffix. Split by one label,
    /// named <paramref name="labelName"/>, when incremented with one.
    /// </summary>
    public MetricCounter Counter(string name, string help, string labelName = "reason") =>
        (MetricCounter)_metrics.GetOrAdd(name, _ => new MetricCounter(name, help, labelName));

    /// <summary>A value read when scraped (queue length, connection state).</summary>
    public void Gauge(string name, string help, Func<double> read) =>
        _metrics[name] = new MetricGauge(name, help, read);

    /// <summary>Values read when scraped, one sample per label value (per bus, say).</summary>
    public void Gauge(string name, string help, string labelName, Func<IEnumerable<KeyValuePair<string, double>>> read) =>
        _metrics[name] = new LabelledGauge(name, help, labelName, read);

    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        foreach (var metric in _metrics.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            metric.AppendTo(text);
        }

        return text.ToString();
    }

    public abstract class Metric(string name, string help, string type)
    {
        public string Name { get; } = name;

        internal void AppendTo(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(type).Append('\n');
            AppendSamples(text);
        }

        private protected abstract void AppendSamples(StringBuilder text);

        private protected static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        private protected void AppendLabelled(StringBuilder text, string labelName, string label, double value) =>
            text.Append(Name).Append('{').Append(labelName).Append("=\"").Append(label).Append("\"} ").Append(Format(value)).Append('\n');
    }

    private sealed class MetricGauge(string name, string help, Func<double> read) : Metric(name, help, "gauge")
    {
        private protected override void AppendSamples(StringBuilder text) =>
            text.Append(Name).Append(' ').Append(Format(read())).Append('\n');
    }

    private sealed class LabelledGauge(string name, string help, string labelName, Func<IEnumerable<KeyValuePair<string, double>>> read)
        : Metric(name, help, "gauge")
    {
        private protected override void AppendSamples(StringBuilder text)
        {
            foreach (var (label, value) in read().OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                AppendLabelled(text, labelName, label, value);
            }
        }
    }
}

/// <summary>A counter, optionally split by one label (for example rejections by reason).</summary>
public sealed class MetricCounter(string name, string help, string labelName = "reason")
    : ServiceMetrics.Metric(name, help, "counter")
{
    private readonly ConcurrentDictionary<string, long> _byLabel = new(StringComparer.Ordinal);
    private long _unlabelled;

    public long Value => Interlocked.Read(ref _unlabelled) + _byLabel.Values.Sum();

    public void Increment() => Interlocked.Increment(ref _unlabelled);

    public void Add(long count) => Interlocked.Add(ref _unlabelled, count);

    public void Increment(string label) => _byLabel.AddOrUpdate(label, 1, (_, n) => n + 1);

    public long ValueOf(string label) => _byLabel.GetValueOrDefault(label);

    private protected override void AppendSamples(StringBuilder text)
    {
        if (_byLabel.IsEmpty)
        {
            text.Append(Name).Append(' ').Append(Format(Interlocked.Read(ref _unlabelled))).Append('\n');
            return;
        }

        foreach (var (label, count) in _byLabel.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            AppendLabelled(text, labelName, label, count);
        }
    }
}
