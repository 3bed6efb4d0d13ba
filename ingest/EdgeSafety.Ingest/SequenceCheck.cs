using EdgeSafety.Contracts;

namespace EdgeSafety.Ingest;

/// <summary>
/// Follows each device's sequence numbers as readings arrive (and are analysed): a number not above the last one seen
/// is a repeat (a redelivery, or readings out of order), one that skips is a gap (readings lost upstream, or taken by
/// another ingest instance when partitions overlap). Both are counted on /metrics. Called on the MQTT thread only.
/// </summary>
public sealed class SequenceCheck(IngestMetrics metrics)
{
    private readonly Dictionary<ReadingSource, long> _last = [];

    public void Observe(ReadingSource source, long sequence)
    {
        if (_last.TryGetValue(source, out var last))
        {
            if (sequence <= last)
            {
                metrics.Repeated.Increment();
                return;
            }

            if (sequence > last + 1)
            {
                metrics.Missing.Add(sequence - last - 1);
            }
        }

        _last[source] = sequence;
    }
}
