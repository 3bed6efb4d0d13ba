using System.Net;
using System.Net.Sockets;

namespace EdgeSafety.Influx.Tests;

/// <summary>Influx going away and coming back (its own influxd, since this test stops it).</summary>
public sealed class InfluxOutageTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task A_stopped_server_is_transient_and_the_same_write_succeeds_once_it_is_back()
    {
        var client = await influx.NewDatabaseAsync();
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        InfluxPoint[] batch = [new InfluxPoint("m", time).Tag("device", "a").Field("f", 1L), new InfluxPoint("m", time).Tag("device", "b").Field("f", 2L)];
        await client.WriteAsync([new InfluxPoint("m", time.AddSeconds(-1)).Tag("device", "a").Field("f", 0L)]);

        await influx.Server.StopAsync();
        var error = (await client.Invoking(c => c.WriteAsync(batch)).Should().ThrowAsync<InfluxWriteException>()).Which;
        await influx.Server.StartProcessAsync();
        await client.WriteAsync(batch);

        error.Failure.Should().Be(InfluxWriteFailure.Transient);
        error.StatusCode.Should().BeNull();
        error.InnerException.Should().BeOfType<HttpRequestException>();
        var count = (await client.QueryAsync("SELECT COUNT(\"f\") FROM \"m\"")).Single().Values.Single()[1].GetInt64();
        count.Should().Be(3, "the point from before the stop survived and the retried batch arrived");
    }
}

/// <summary>A server that accepts connections and never answers, as a hung Influx does.</summary>
public sealed class UnresponsiveServerTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public UnresponsiveServerTests() => _listener.Start();

    public void Dispose() => _listener.Dispose();

    private InfluxClient Client(HttpClient http) =>
        new(http, new InfluxOptions { BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/") });

    [Fact]
    public async Task A_timeout_is_transient()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMilliseconds(300) };

        var error = (await Client(http).Invoking(c => c.WriteAsync([new InfluxPoint("m", DateTimeOffset.UtcNow).Field("f", 1L)]))
            .Should().ThrowAsync<InfluxWriteException>()).Which;

        error.Failure.Should().Be(InfluxWriteFailure.Transient);
        error.Message.Should().Contain("in time");
    }

    [Fact]
    public async Task The_caller_cancelling_is_a_cancellation_not_a_write_failure()
    {
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Client(http).Invoking(c => c.WriteAsync([new InfluxPoint("m", DateTimeOffset.UtcNow).Field("f", 1L)], cancel.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }
}
