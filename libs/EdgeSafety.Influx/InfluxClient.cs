using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EdgeSafety.Influx;

/// <summary>
/// A client of InfluxDB's v1 HTTP API: line protocol to /write, InfluxQL to /query (InfluxDB 1.x, and the v1
/// compatibility API of 2.x and 3.x). Meant as a typed HttpClient: it does not own or change the HttpClient, and
/// sends every request to an absolute address under <see cref="InfluxOptions.BaseAddress"/>.
/// </summary>
public sealed class InfluxClient
{
    private const int MaxErrorTextLength = 2_000;
    private readonly HttpClient _http;
    private readonly Uri _root;
    private readonly string _database;
    private readonly string _retentionPolicy;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>Takes the options as they are now (they are validated here; later changes are not seen).</summary>
    public InfluxClient(HttpClient http, InfluxOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _http = http;
        var root = options.BaseAddress.AbsoluteUri;
        _root = new Uri(root.EndsWith('/') ? root : root + "/");
        _database = options.Database;
        _retentionPolicy = options.RetentionPolicy;
        if (options.Username is { Length: > 0 } username)
        {
            var credentials = Encoding.UTF8.GetBytes($"{username}:{options.Password}");
            _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        }
    }

    /// <summary>GET /ping; throws <see cref="HttpRequestException"/> unless Influx answers 2xx.</summary>
    public async Task PingAsync(CancellationToken ct = default)
    {
        using var request = NewRequest(HttpMethod.Get, "ping");
        using var response = await _http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>CREATE DATABASE (a no-op when it exists) by POST /query; throws <see cref="InfluxQueryException"/> if refused.</summary>
    public Task EnsureDatabaseAsync(CancellationToken ct = default) =>
        ExecuteAsync($"CREATE DATABASE {InfluxQL.Identifier(_database)}", ct);

    /// <summary>
    /// Writes the points in one request (POST /write?precision=ms). Returns when Influx has stored all of them;
    /// otherwise throws <see cref="InfluxWriteException"/>, whose <see cref="InfluxWriteException.Failure"/> says whether
    /// to retry the batch later and <see cref="InfluxWriteException.IsPartialWrite"/> whether part of it was stored.
    /// Writing a point again with the same measurement, tags and timestamp replaces its fields (idempotent retries).
    /// </summary>
    public Task WriteAsync(IReadOnlyCollection<InfluxPoint> points, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return Task.CompletedTask;
        }

        var body = new ArrayBufferWriter<byte>(points.Count * 128);
        foreach (var point in points)
        {
            LineProtocol.Append(body, point);
        }

        return WriteLinesAsync(body.WrittenMemory, points.Count, ct);
    }

    /// <summary>
    /// Writes lines already in line protocol (UTF-8, each ended by '\n', millisecond timestamps), as
    /// <see cref="WriteAsync"/> does: for a caller that keeps points encoded, such as a spill on disk.
    /// <paramref name="pointCount"/> only goes into error messages.
    /// </summary>
    public async Task WriteLinesAsync(ReadOnlyMemory<byte> lines, int pointCount, CancellationToken ct = default)
    {
        var address = $"write?db={Uri.EscapeDataString(_database)}&precision=ms";
        if (_retentionPolicy.Length > 0)
        {
            address += $"&rp={Uri.EscapeDataString(_retentionPolicy)}";
        }

        using var request = NewRequest(HttpMethod.Post, address);
        request.Content = new ReadOnlyMemoryContent(lines);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        var what = $"the write of {pointCount} point(s) to database \"{_database}\" at {_root}";
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            throw new InfluxWriteException(InfluxWriteFailure.Transient, null, null, $"InfluxDB could not be reached for {what}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new InfluxWriteException(InfluxWriteFailure.Transient, null, null, $"InfluxDB did not answer in time to {what}: {ex.Message}", ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            var status = (int)response.StatusCode;
            var error = await ReadErrorAsync(response, ct);
            throw new InfluxWriteException(Classify(response.StatusCode), status, error,
                $"InfluxDB refused {what} with {status} {response.ReasonPhrase}: {error ?? "(no error text)"}");
        }
    }

    /// <summary>
    /// Runs InfluxQL that changes something (CREATE RETENTION POLICY, DROP SERIES, ...) by POST /query, as Influx
    /// wants such statements; errors as for <see cref="QueryAsync"/>.
    /// </summary>
    public Task<IReadOnlyList<InfluxSeries>> ExecuteAsync(string influxQl, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(influxQl);
        return SendQueryAsync(HttpMethod.Post, influxQl, ct);
    }

    /// <summary>
    /// Runs InfluxQL by GET /query?db=..&amp;epoch=ms and returns the series of all its statements in order.
    /// Throws <see cref="InfluxQueryException"/> with Influx's text when Influx refuses the query or any statement
    /// of it fails, or when it cut the answer short; a transport failure comes as <see cref="HttpRequestException"/>.
    /// Build the text with <see cref="InfluxQL"/> for anything that comes from outside.
    /// </summary>
    public Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxQl, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(influxQl);
        return SendQueryAsync(HttpMethod.Get, influxQl, ct);
    }

    private async Task<IReadOnlyList<InfluxSeries>> SendQueryAsync(HttpMethod method, string influxQl, CancellationToken ct)
    {
        var parameters = $"db={Uri.EscapeDataString(_database)}&epoch=ms&q={Uri.EscapeDataString(influxQl)}";
        using var request = method == HttpMethod.Get
            ? NewRequest(method, $"query?{parameters}")
            : NewRequest(method, "query");
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(parameters, Encoding.ASCII, "application/x-www-form-urlencoded");
        }

        using var response = await _http.SendAsync(request, ct);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            var error = await ReadErrorAsync(response, ct);
            throw new InfluxQueryException($"InfluxDB refused the query with {status} {response.ReasonPhrase}: {error ?? "(no error text)"}. Query: {influxQl}",
                error, status, null);
        }

        QueryResponse? answer;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            answer = await JsonSerializer.DeserializeAsync(stream, InfluxJsonContext.Default.QueryResponse, ct);
        }
        catch (JsonException ex)
        {
            throw new InfluxQueryException($"InfluxDB's answer to the query is not the JSON it should be: {ex.Message}. Query: {influxQl}",
                null, status, null, ex);
        }

        if (answer?.Error is { } topError)
        {
            throw new InfluxQueryException($"InfluxDB could not run the query: {topError}. Query: {influxQl}", topError, status, null);
        }

        var series = new List<InfluxSeries>();
        foreach (var result in answer?.Results ?? [])
        {
            if (result.Error is { } statementError)
            {
                throw new InfluxQueryException($"Statement {result.StatementId} of the query failed: {statementError}. Query: {influxQl}",
                    statementError, status, result.StatementId);
            }

            foreach (var one in result.Series ?? [])
            {
                if (result.Partial || one.Partial)
                {
                    throw new InfluxQueryException(
                        $"InfluxDB cut the answer to statement {result.StatementId} short (its max-row-limit); narrow the query. Query: {influxQl}",
                        null, status, result.StatementId);
                }

                series.Add(ToSeries(one));
            }
        }

        return series;
    }

    private static InfluxSeries ToSeries(SeriesResult series)
    {
        var rows = new List<IReadOnlyList<JsonElement>>();
        if (series.Values.ValueKind == JsonValueKind.Array)
        {
            foreach (var row in series.Values.EnumerateArray())
            {
                rows.Add([.. row.EnumerateArray()]);
            }
        }

        return new InfluxSeries(
            series.Name ?? "",
            series.Tags ?? new Dictionary<string, string>(),
            series.Columns ?? [],
            rows);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, string relative)
    {
        var request = new HttpRequestMessage(method, new Uri(_root, relative));
        request.Headers.Authorization = _authorization;
        return request;
    }

    /// <summary>Transient unless the batch itself is at fault: see <see cref="InfluxWriteFailure"/>.</summary>
    private static InfluxWriteFailure Classify(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => InfluxWriteFailure.Transient,
        >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError => InfluxWriteFailure.Rejected,
        _ => InfluxWriteFailure.Transient,
    };

    /// <summary>Influx's error text: the JSON body's "error" (1.x, 3.x) or "message" (2.x), else the X-Influxdb-Error header, else the body.</summary>
    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = (await response.Content.ReadAsStringAsync(ct)).Trim();
        if (body.StartsWith('{'))
        {
            try
            {
                var error = JsonSerializer.Deserialize(body, InfluxJsonContext.Default.ErrorResponse);
                if (!string.IsNullOrEmpty(error?.Error))
                {
                    return error.Error;
                }

                if (!string.IsNullOrEmpty(error?.Message))
                {
                    return error.Message;
                }
            }
            catch (JsonException)
            {
                // Not Influx's JSON (a proxy's page, say): the header or the raw body below says what there is.
            }
        }

        if (response.Headers.TryGetValues("X-Influxdb-Error", out var header) && string.Join(' ', header) is { Length: > 0 } headerError)
        {
            return headerError;
        }

        return body.Length == 0 ? null : body.Length <= MaxErrorTextLength ? body : body[..MaxErrorTextLength] + "...";
    }
}
