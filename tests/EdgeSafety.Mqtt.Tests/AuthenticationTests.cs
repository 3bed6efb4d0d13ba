using Microsoft.Extensions.Logging;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>A broker that wants credentials: its own configuration (the shipped one allows anonymous clients).</summary>
public sealed class AuthenticationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ConfiguredBroker _broker = null!;

    public async Task InitializeAsync() =>
        _broker = await ConfiguredBroker.StartAsync(async directory =>
        [
            "allow_anonymous false",
            $"password_file {await ConfiguredBroker.CreatePasswordFileAsync(directory, "gateway-7", "s3cret")}",
        ]);

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Theory]
    [InlineData("gateway-7", "wrong")]
    [InlineData("nobody", "s3cret")]
    [InlineData(null, null)]
    public async Task A_refused_connection_makes_ConnectAsync_throw_an_MqttException_naming_the_reason_and_the_broker(string? user, string? password)
    {
        await using var clients = new TestClients(output);
        var (client, _) = clients.Create(_broker.Port, o => (o.Username, o.Password) = (user, password));
        using var timeout = new CancellationTokenSource(TestClients.Timeout);

        var refused = (await FluentActions.Awaiting(() => client.ConnectAsync(timeout.Token))
            .Should().ThrowAsync<MqttException>()).Which;

        refused.Message.Should().Contain("Connection Refused: not authorised.").And.Contain($"127.0.0.1:{_broker.Port}");
        refused.ConnackCode.Should().Be(5, "mosquitto 2.0 answers MQTT 3.1.1 credential failures with CONNACK 5");
        refused.NativeError.Should().Be(5, "MOSQ_ERR_CONN_REFUSED");
        client.IsConnected.Should().BeFalse();
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task The_right_username_and_password_connect()
    {
        await using var clients = new TestClients(output);
        var (client, _) = clients.Create(_broker.Port, o => (o.Username, o.Password) = ("gateway-7", "s3cret"));

        await TestClients.ConnectWithinTimeoutAsync(client);

        client.IsConnected.Should().BeTrue();
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task The_password_appears_in_no_log_line_and_no_error_even_at_debug_level()
    {
        await using var clients = new TestClients(output);
        var (refused, refusedLog) = clients.Create(_broker.Port, o => (o.Username, o.Password) = ("gateway-7", "wrong-Pa55word"), logLevel: LogLevel.Debug);
        var (accepted, acceptedLog) = clients.Create(_broker.Port, o => (o.Username, o.Password) = ("gateway-7", "s3cret"), logLevel: LogLevel.Debug);

        var error = (await FluentActions.Awaiting(() => TestClients.ConnectWithinTimeoutAsync(refused)).Should().ThrowAsync<MqttException>()).Which;
        await TestClients.ConnectWithinTimeoutAsync(accepted);
        await accepted.PublishAsync("es/auth/x", new byte[] { 1 }, MqttQos.AtLeastOnce).WaitAsync(TestClients.Timeout);
        await accepted.DisconnectAsync();

        string[] lines = [.. refusedLog.Entries.Concat(acceptedLog.Entries).Select(e => e.Message), error.ToString()];
        lines.Should().Contain(l => l.Contains("sending CONNECT", StringComparison.Ordinal), "the library's debug lines were recorded");
        lines.Should().NotContain(l => l.Contains("wrong-Pa55word", StringComparison.Ordinal) || l.Contains("s3cret", StringComparison.Ordinal));
        error.Message.Should().Contain("gateway-7", "the user is named, only the password is secret");
    }
}
