using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeSafety.Fuzz;

/// <summary>One route of a web API: method, path with {parameters}, query parameter names, JSON body field names.</summary>
public sealed record WebRoute(string Method, string Path, IReadOnlyList<string> Query, IReadOnlyList<string> BodyFields)
{
    /// <summary>Reads a route list: one route a line, "METHOD PATH[?a&amp;b] [field,field]"; '#' starts a comment.</summary>
    public static IReadOnlyList<WebRoute> Parse(string text) =>
    [
        .. text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line =>
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is < 2 or > 3 || !parts[1].StartsWith('/'))
            {
                throw new FormatException($"route '{line}' is not 'METHOD /path[?query&names] [body,fields]'");
            }

            var pathAndQuery = parts[1].Split('?', 2);
            return new WebRoute(parts[0], pathAndQuery[0], pathAndQuery.Length == 2 ? pathAndQuery[1].Split('&') : [],
                parts.Length == 3 ? parts[2].Split(',') : []);
        }),
    ];
}

/// <summary>
/// Hostile HTTP requests against a running service, sent as raw bytes on a fresh connection each (so the input is
/// exactly what went on the wire): its routes with hostile parameters, queries, bodies, content types and headers,
/// random paths and methods, oversized and malformed requests. The contract: never a 5xx, and the service answers
/// /healthz with 200 throughout and afterwards. Responses are counted by status.
/// </summary>
public sealed class WebTarget(Uri baseAddress, IReadOnlyList<WebRoute> routes, IReadOnlyList<string> headers)
    : FuzzTarget("web", $"HTTP API at {baseAddress}: hostile requests -> no 5xx, /healthz stays 200")
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "get", "FUZZ", "G\u00c9T", ""];

    private static readonly string[] Parameters =
    [
        "1", "2", "0", "-1", "9223372036854775807", "9223372036854775808", "99999999999999999999", "1.5", "1e3", "abc", "%00", "%ZZ", "%",
        "..%2F..%2Fetc%2Fpasswd", "../../etc/passwd", "%2e%2e", "%F0%9F%94%A5", "%C0%AF", "%ED%A0%80", "1%20OR%201%3D1", "landlord-1",
        "warden-1", "%3Cscript%3E", new('1', 5000), "a;b", "*",
    ];

    private static readonly string[] ContentTypes =
    [
        "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain", "text/json",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "multipart/form-data", "application/xml", "*/*",
        "application/json; charset=nonsense", ";", "application/problem+json",
    ];

    private readonly string _host = $"{baseAddress.Host}:{baseAddress.Port}";
    private long _sinceHealthCheck;

    public override byte[] Generate(Random random)
    {
        var route = random.Pick(routes);
        var method = random.Chance(0.8) ? route.Method : random.Pick(Methods);
        var target = random.Chance(0.85) ? RouteTarget(random, route) : RandomTarget(random);
        var body = route.BodyFields.Count > 0 || random.Chance(0.2) ? Body(random, route) : [];

        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(random.Chance(0.97) ? " HTTP/1.1" : random.Pick([" HTTP/1.0", " HTTP/2.0", " HTTP/9", ""])).Append("\r\n");
        head.Append("Host: ").Append(random.Chance(0.97) ? _host : random.Pick(["", "evil.example", "a b", new string('h', 300)])).Append("\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        if (body.Length > 0 || random.Chance(0.1))
        {
            head.Append("Content-Type: ").Append(random.Chance(0.6) ? "application/json" : random.Pick(ContentTypes)).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(random.Chance(0.97) ? body.Length.ToString(CultureInfo.InvariantCulture) : random.Pick(["-1", "40000000", "x", "0", "99999999999999999999"])).Append("\r\n");
        switch (random.Next(12))
        {
            case 0:
                head.Append("X-Big: ").Append('a', random.Chance(0.5) ? 40_000 : 4_000).Append("\r\n");
                break;
            case 1:
                for (var i = 0; i < 150; i++)
                {
                    head.Append("X-Many-").Append(i).Append(": ").Append(i).Append("\r\n");
                }

                break;
            case 2:
                head.Append(random.Pick(["X-Unicode: é🔥\u202e", "NoColon", ": empty-name", "X-Null: a\0b", "Transfer-Encoding: chunked", "Content-Length: 5", "Expect: 100-continue", "Cookie: " + new string('c', 3000), "Accept: application/xml", "Authorization: Bearer x.y.z", "X-Forwarded-For: ../../"])).Append("\r\n");
                break;
        }

        head.Append("Connection: close\r\n\r\n");
        byte[] request = [.. Encoding.UTF8.GetBytes(head.ToString()), .. body];
        return random.Chance(0.08) ? Mutator.Bytes(random, request, 1 + random.Next(8)) : request;
    }

    public override void Run(byte[] input, Tally tally)
    {
        var response = Send(input);
        if (response.Length == 0)
        {
            // Kestrel may close the connection of a request it cannot parse at all without a word: not a failure.
            tally.Reject("closed without an answer");
        }
        else
        {
            var status = StatusOf(response);
            // 505 is Kestrel's answer to a request line naming another HTTP version: about the request, not a failure.
            if (status is (>= 500 and not 505) or < 100)
            {
                throw new FuzzInvariantException($"the server answered {status}: {Encoding.UTF8.GetString(response, 0, Math.Min(response.Length, 600))}");
            }

            if (status < 300)
            {
                tally.Accept();
            }
            else
            {
                tally.Reject(status.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (++_sinceHealthCheck >= 250)
        {
            _sinceHealthCheck = 0;
            CheckHealthy();
        }
    }

    public override void Finish() => CheckHealthy();

    /// <summary>/healthz answers 200: the service is alive and well after what it was sent.</summary>
    public void CheckHealthy()
    {
        var response = Send(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {_host}\r\nConnection: close\r\n\r\n"));
        if (response.Length == 0 || StatusOf(response) != 200)
        {
            throw new FuzzInvariantException($"the service is not healthy: {(response.Length == 0 ? "no answer on /healthz" : Encoding.UTF8.GetString(response))}");
        }
    }

    private byte[] Send(byte[] request)
    {
        using var client = new TcpClient();
        client.Connect(baseAddress.Host, baseAddress.Port);
        client.ReceiveTimeout = (int)ResponseTimeout.TotalMilliseconds;
        client.SendTimeout = (int)ResponseTimeout.TotalMilliseconds;
        var stream = client.GetStream();
        var response = new MemoryStream();
        try
        {
            stream.Write(request);
            if (!IsComplete(request))
            {
                // The server would wait for the rest: ending the stream has it answer (or drop) the request now. A complete
                // request is not half-closed, since Kestrel takes that for the client going away and aborts the request.
                client.Client.Shutdown(SocketShutdown.Send);
            }

            // The status line and headers are all the verdict needs; a connection kept alive would not end by itself.
            var buffer = new byte[16 * 1024];
            int read;
            while (response.GetBuffer().AsSpan(0, (int)response.Length).IndexOf("\r\n\r\n"u8) < 0 && (read = stream.Read(buffer)) > 0)
            {
                response.Write(buffer, 0, read);
            }
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted })
        {
            // The server may reset a connection whose request it refused before reading all of it (a huge body, say).
        }
        catch (IOException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            throw new FuzzInvariantException($"no answer within {ResponseTimeout.TotalSeconds} s");
        }

        return response.ToArray();
    }

    /// <summary>A head ended by an empty line and at least the body its Content-Length announces (a mutation may have cut either).</summary>
    private static bool IsComplete(byte[] request)
    {
        var end = request.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return false;
        }

        var head = Encoding.Latin1.GetString(request, 0, end);
        var length = head.Split("\r\n").Select(line => line.Split(':', 2)).Where(h => h.Length == 2 && h[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(h => long.TryParse(h[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max();
        return request.Length - (end + 4) >= length;
    }

    private static int StatusOf(byte[] response)
    {
        // "HTTP/1.1 404 Not Found"
        var line = Encoding.ASCII.GetString(response, 0, Math.Min(response.Length, 16));
        return line.StartsWith("HTTP/1.", StringComparison.Ordinal) && line.Length >= 12
            && int.TryParse(line.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;
    }

    private static string RouteTarget(Random random, WebRoute route)
    {
        var path = new StringBuilder();
        foreach (var segment in route.Path.Split('/').Skip(1))
        {
            path.Append('/').Append(segment.StartsWith('{') ? random.Pick(Parameters) : segment);
        }

        var query = route.Query.Where(_ => random.Chance(0.6)).Select(name => $"{name}={QueryValue(random)}").ToList();
        if (random.Chance(0.1))
        {
            query.Add($"{random.Pick(["x", "open", "", "%00", "a[]"])}={QueryValue(random)}");
        }

        return query.Count == 0 ? path.ToString() : $"{path}?{string.Join('&', query)}";
    }

    private static string QueryValue(Random random) => random.Next(4) switch
    {
        0 => random.Pick(["true", "false", "day", "week", "month", "DAY", "2026-07-01", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "1", "-1", "0"]),
        1 => Uri.EscapeDataString(random.Pick(Mutator.Numbers)),
        2 => Uri.EscapeDataString(random.Pick(Mutator.Strings)),
        _ => random.Pick(Parameters),
    };

    private static string RandomTarget(Random random) => random.Next(6) switch
    {
        0 => random.Pick(["/", "//", "*", "/../../etc/passwd", "/api/../api/alerts", "/%2e%2e/%2e%2e/etc/passwd", "/api/alerts/%2F", "http://evil.example/api/alerts", "/api/alerts/1/../2", "/\u00e9", "/api/Alerts", "/API/ALERTS", "/api/alerts/"]),
        1 => "/" + new string('a', random.Chance(0.5) ? 9_000 : 70_000),
        2 => "/api/" + Uri.EscapeDataString(random.Pick(Mutator.Strings)),
        3 => "/api/" + random.Pick(Mutator.Strings).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal),
        _ => string.Concat(Enumerable.Range(0, 1 + random.Next(5)).Select(_ => "/" + random.Pick(["api", "alerts", "1", "..", ".", "%00", "work-orders", "reports", "healthz", "metrics", "x"]))),
    };

    private static byte[] Body(Random random, WebRoute route)
    {
        var body = new JsonObject();
        foreach (var field in route.BodyFields)
        {
            body[field] = random.Chance(0.7) ? random.Pick(["warden-1", "landlord-1", "fuzz", "charger removed"]) : Mutator.Value(random);
        }

        var json = Encoding.UTF8.GetBytes(body.ToJsonString());
        return random.Next(20) switch
        {
            0 => new byte[random.Chance(0.5) ? 2_000_000 : 40_000],
            1 => Mutator.Bytes(random, json, 1 + random.Next(6)),
            _ => Mutator.MutateJson(random, json),
        };
    }
}
