using EdgeSafety.Contracts;
using EdgeSafety.Influx;
using EdgeSafety.Ingest.Analysis;
using EdgeSafety.Mqtt;
using EdgeSafety.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace EdgeSafety.Ingest;

/// <summary>
/// Validates every reading of the partitions this instance takes (docs/scale-out.md), spills it for InfluxDB and
/// hands it to the analysers. A refused
/// message is counted by reason and logged, and processing goes on: one bad publisher never stops a district's
/// ingest.
/// </summary>
public sealed partial class ReadingReceiver(
    MqttClient mqtt,
    PointQueue queue,
    IEnumerable<IReadingAnalyzer> analyzers,
    SequenceCheck sequences,
    IngestMetrics metrics,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<ReadingReceiver> logger) : TopicSubscriber(mqtt, options.Value.ParseAssignment().TopicFilters, MqttQos.AtLeastOnce, logger)
{
    private readonly IReadingAnalyzer[] _analyzers = [.. analyzers];

    /// <summary>The current message's values as its payload wrote them (messages come one at a time, on the MQTT thread).</summary>
    private readonly List<ReadingNumber> _numbers = new(ReadingCodec.MaxValues);

    protected override void OnMessage(MqttMessage message)
    {
        metrics.Received.Increment();
        if (!ReadingCodec.TryParse(message.Topic, message.Payload, time.GetUtcNow(), _numbers, out var source, out var reading, out var rejection))
        {
            metrics.Rejected.Increment(RejectionLabel.Of(rejection!.Reason));
            LogRejected(Logger, message.Topic, rejection.Reason, rejection.Detail);
            return;
        }

        var received = new ReceivedReading(source, reading!);
        sequences.Observe(source, reading!.Sequence);
        Store(received, message.Payload);
        foreach (var analyzer in _analyzers)
        {
            Analyze(analyzer, received);
        }
    }

    /// <summary>The InfluxDB point of a reading: measurement by device kind, one field per value, seq as an integer.</summary>
    public static InfluxPoint ToPoint(ReceivedReading received)
    {
        var point = PointWithTags(received);
        foreach (var (name, value) in received.Reading.Values)
        {
            point.Field(name, value);
        }

        return point.Field("seq", received.Reading.Sequence);
    }

    /// <summary>
    /// The same point from the payload the reading was parsed from: each value's field is the number's text as published
    /// (<paramref name="numbers"/>, from <see cref="ReadingCodec"/>), which InfluxDB stores as the same double that
    /// <see cref="ToPoint(ReceivedReading)"/> formats, without formatting 39 doubles per meter reading.
    /// </summary>
    public static InfluxPoint ToPoint(ReceivedReading received, byte[] payload, IReadOnlyList<ReadingNumber> numbers)
    {
        var point = PointWithTags(received);
        foreach (var number in numbers)
        {
            point.Field(number.Name, number.Value, payload.AsMemory(number.Text));
        }

        return point.Field("seq", received.Reading.Sequence);
    }

    /// <summary>Measurement, timestamp and tags, in key order so that line protocol needs no sorted copy.</summary>
    private static InfluxPoint PointWithTags(ReceivedReading received)
    {
        var reading = received.Reading;
        var point = new InfluxPoint(ReadingCodec.KindName(reading.Kind), reading.Timestamp, reading.Values.Count + 1)
            .Tag("device", reading.Device)
            .Tag("gateway", received.Source.Gateway)
            .Tag("profile", reading.Profile)
            .Tag("site", received.Source.Site);
        return reading.Unit is null ? point : point.Tag("unit", reading.Unit);
    }

    /// <summary>
    /// Validation already guarantees storable readings; a point InfluxDB could still not represent is counted and
    /// logged rather than allowed to fail a whole batch.
    /// </summary>
    private void Store(ReceivedReading received, byte[] payload)
    {
        InfluxPoint point;
        try
        {
            point = ToPoint(received, payload, _numbers);
        }
        catch (ArgumentException ex)
        {
            metrics.PointsDropped.Increment();
            LogUnstorable(Logger, received.Reading.Device, received.Reading.Sequence, ex.Message);
            return;
        }

        queue.Add(point, Stopping);
    }

    /// <summary>A failing analyser is a bug: it is logged and counted, and neither storage nor the other analysers suffer.</summary>
    private void Analyze(IReadingAnalyzer analyzer, ReceivedReading received)
    {
        try
        {
            analyzer.Analyze(received);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.AnalysisFailures.Increment(analyzer.GetType().Name);
            LogAnalysisFailed(Logger, ex, analyzer.GetType().Name, received.Reading.Device, received.Reading.Sequence);
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Rejected a message on {Topic}: {Reason} ({Detail})")]
    private static partial void LogRejected(ILogger logger, string topic, RejectionReason reason, string detail);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Reading {Sequence} of {Device} cannot be stored in InfluxDB: {Error}")]
    private static partial void LogUnstorable(ILogger logger, string device, long sequence, string error);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Analyser {Analyzer} failed on reading {Sequence} of {Device}")]
    private static partial void LogAnalysisFailed(ILogger logger, Exception exception, string analyzer, string device, long sequence);
}
