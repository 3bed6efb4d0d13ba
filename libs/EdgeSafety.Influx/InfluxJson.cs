using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSafety.Influx;

// Influx's JSON names are snake_case (statement_id); the context below maps the property names so.

/// <summary>The answer of /query: {"results":[{"statement_id":0,"series":[...],"error":"..."}]} or {"error":"..."}.</summary>
internal sealed class QueryResponse
{
    public List<StatementResult>? Results { get; set; }

    public string? Error { get; set; }
}

internal sealed class StatementResult
{
    public int StatementId { get; set; }

    public List<SeriesResult>? Series { get; set; }

    public string? Error { get; set; }

    /// <summary>True when Influx cut the answer short (max-row-limit).</summary>
    public bool Partial { get; set; }
}

internal sealed class SeriesResult
{
    public string? Name { get; set; }

    public Dictionary<string, string>? Tags { get; set; }

    public List<string>? Columns { get; set; }

    /// <summary>The rows as one element, so that all of a series' values share one parsed document.</summary>
    public JsonElement Values { get; set; }

    public bool Partial { get; set; }
}

/// <summary>An error answer: {"error":"..."} from InfluxDB 1.x and 3.x, {"code":"...","message":"..."} from 2.x.</summary>
internal sealed class ErrorResponse
{
    public string? Error { get; set; }

    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(QueryResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class InfluxJsonContext : JsonSerializerContext;
