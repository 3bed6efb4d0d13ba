using System.Collections.Concurrent;
using System.Text;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.EdgeAgent.Tests;

/// <summary>The agent's Mqtt settings as an installer writes them: TLS with a client certificate, a user and a password.</summary>
public sealed class BrokerSecurityTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly TestCertificates _pki = TestCertificates.Create();
    private MosquittoBroker _broker = null!;
    private SerialLinePair _line = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync(_pki);
        _line = await SerialLinePair.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _line.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task The_agent_connects_over_TLS_with_its_client_certificate_and_never_logs_its_password()
    {
        const string Password = "gw-01-Pa55-never-logged";
        var statuses = new ConcurrentQueue<string>();
        await using var watcher = new MqttClient(new MqttClientOptions { Port = _broker.Port, ClientId = "test-status-watcher" }, new RecordingLogger<MqttClient>());
        watcher.MessageReceived = message => statuses.Enqueue(Encoding.UTF8.GetString(message.Payload));
        await watcher.ConnectAsync(CancellationToken.None);
        await watcher.SubscribeAsync(Topics.AllStatus, MqttQos.AtLeastOnce);

        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            $"--Mqtt:Port={_broker.ClientCertificatePort}", "--Mqtt:Username=gw-01", $"--Mqtt:Password={Password}",
            $"--Mqtt:TlsCaFile={_pki.CaFile}", $"--Mqtt:TlsCertFile={_pki.ClientCertFile}", $"--Mqtt:TlsKeyFile={_pki.ClientKeyFile}",
            $"--Agent:Buses:0:DevicePath={_line.MasterPath}", "--Logging:LogLevel:EdgeSafety.Mqtt=Debug");

        await Eventually.SucceedsAsync(() => statuses.Should().Contain(s => s.Contains("\"online\"", StringComparison.Ordinal)),
            Bound, "the agent's online status, published over TLS");
        await agent.WaitForOutputAsync("Listening for commands", Bound);
        agent.Output.Should().Contain("sending CONNECT", "the library's debug lines are in the log")
            .And.NotContain(Password);
        _broker.Log.Should().Contain($"on port {_broker.ClientCertificatePort}");
    }

    [Fact]
    public async Task A_key_file_the_agent_cannot_read_stops_it_at_start_naming_the_setting()
    {
        var missing = _pki.ClientKeyFile + ".missing";

        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            $"--Mqtt:Port={_broker.ClientCertificatePort}", $"--Mqtt:TlsCaFile={_pki.CaFile}",
            $"--Mqtt:TlsCertFile={_pki.ClientCertFile}", $"--Mqtt:TlsKeyFile={missing}", $"--Agent:Buses:0:DevicePath={_line.MasterPath}");

        (await agent.WaitForExitAsync(Bound)).Should().Be(2);
        agent.Output.Should().Contain($"Mqtt.TlsKeyFile: Secret file '{missing}' cannot be read");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_key_file_others_may_read_stops_it_at_start_naming_the_setting_and_the_file()
    {
        var exposed = _pki.ClientKeyFile + ".exposed";
        File.Copy(_pki.ClientKeyFile, exposed);
        File.SetUnixFileMode(exposed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var agent = ServiceProcess.Start("EdgeSafety.EdgeAgent", LoopbackPort.Next(),
            $"--Mqtt:Port={_broker.ClientCertificatePort}", $"--Mqtt:TlsCaFile={_pki.CaFile}",
            $"--Mqtt:TlsCertFile={_pki.ClientCertFile}", $"--Mqtt:TlsKeyFile={exposed}", $"--Agent:Buses:0:DevicePath={_line.MasterPath}");

        (await agent.WaitForExitAsync(Bound)).Should().Be(2);
        agent.Output.Should().Contain($"Mqtt.TlsKeyFile: Secret file '{exposed}' is readable or writable by others than its owner; make it owner-only: chmod 600 '{exposed}'.");
    }
}
