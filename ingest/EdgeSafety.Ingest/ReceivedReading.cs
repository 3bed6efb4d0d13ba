using EdgeSafety.Contracts;

namespace EdgeSafety.Ingest;

/// <summary>A validated reading with the site and gateway its topic named.</summary>
public sealed record ReceivedReading(ReadingSource Source, Reading Reading);
