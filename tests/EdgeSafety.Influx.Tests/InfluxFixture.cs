using System.Runtime.CompilerServices;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Influx.Tests;

/// <summary>One real influxd for a test class; each test gets its own database on it.</summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    private int _databases;

    public InfluxServer Server { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    public async Task InitializeAsync() => Server = await InfluxServer.StartAsync();

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    public InfluxOptions Options(string database) => new() { BaseAddress = Server.BaseAddress, Database = database };

    /// <summary>A client of a fresh database named after the test.</summary>
    public async Task<InfluxClient> NewDatabaseAsync([CallerMemberName] string test = "")
    {
        var client = new InfluxClient(Http, Options($"{test}_{Interlocked.Increment(ref _databases)}"));
        await client.EnsureDatabaseAsync();
        return client;
    }
}
