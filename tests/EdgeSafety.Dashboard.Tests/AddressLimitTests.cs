using System.Net;
using System.Text.Json;

namespace EdgeSafety.Dashboard.Tests;

/// <summary>Guessing across many names from one address is stopped too, not only guessing one account's password.</summary>
public sealed class AddressLimitTests : IAsyncLifetime
{
    private MosquittoBroker _broker = null!;
    private DashboardServer _server = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _server = await DashboardServer.StartAsync([new DashboardAccount("admin", "admin")], null, $"--Mqtt:Port={_broker.Port}",
            "--Dashboard:Lockout:MaxFailuresPerAddress=3");
    }

    public async Task DisposeAsync()
    {
        var errors = _server.ErrorLines().ToList();
        await _server.DisposeAsync();
        await _broker.DisposeAsync();
        errors.Should().BeEmpty();
    }

    [Fact]
    public async Task An_address_with_too_many_failures_over_several_names_is_refused_even_for_a_right_password()
    {
        using var session = new DashboardSession(_server.BaseAddress);
        foreach (var name in new[] { "alice", "bob", "carol" })
        {
            using var wrong = await session.SignInAsync(name, "guess-1234");
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "each name alone is far from its own limit");
        }

        using var refused = await session.SignInAsync("admin", _server.Passwords["admin"]);
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("error").GetString().Should().Be("address-limited");
        body.GetProperty("message").GetString().Should().Contain("from your address");
    }
}
