using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using static EdgeSafety.Provisioning.Tests.SecuredBroker;

namespace EdgeSafety.Provisioning.Tests;

/// <summary>
/// A broker restart as the demo does it at every start: the broker stopped, EdgeSafety.BrokerSecurity run again over
/// its folder (new passwords for the services and the demo gateway), the broker started on the file.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BrokerRestartTests(SecuredBroker secured, ITestOutputHelper output) : IClassFixture<SecuredBroker>
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly TimeSpan ToolBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Gateways_enrolled_before_a_restart_keep_their_credentials_revoked_ones_stay_out_and_the_services_get_new_passwords()
    {
        await using var clients = new Clients(output);
        var enrolledPassword = BrokerPasswords.NewPassword();
        var revokedPassword = BrokerPasswords.NewPassword();
        await using (var control = new DynamicSecurityControl(secured.Options("provisioning"), NullLogger<MqttClient>.Instance))
        {
            await control.AddGatewayAsync(Site, "gw-enrolled", enrolledPassword, CancellationToken.None);
            await control.AddGatewayAsync(Site, "gw-revoked", revokedPassword, CancellationToken.None);
            (await control.RevokeGatewayAsync(Site, "gw-revoked", CancellationToken.None)).Should().BeTrue();
        }

        // The broker rewrote its file with the enrolment and kept it owner-only: mosquitto 2.0.11 rewrites the file in
        // place (same inode), so it keeps the mode EdgeSafety.BrokerSecurity created it with.
        var folder = secured.Broker.DataDirectory;
        var dynamicSecurity = Path.Combine(folder, "dynamic-security.json");
        await Eventually.SucceedsAsync(async () => (await File.ReadAllTextAsync(dynamicSecurity)).Should().Contain("gateway:site-a:gw-enrolled"),
            ToolBound, "the broker to save the enrolment");
        File.GetUnixFileMode(dynamicSecurity).Should().Be(OwnerOnly);
        await secured.Broker.StopAsync();
        var registry = Path.Combine(folder, "registry.json");
        await File.WriteAllTextAsync(registry, Registry);
        using (var tool = ExternalProcess.Start("broker security", "dotnet",
        [
            Path.Combine(ServiceProcess.OutputDirectory("EdgeSafety.BrokerSecurity"), "EdgeSafety.BrokerSecurity.dll"),
            "--registry", registry, "--out", folder, "--gateway", $"{Site}/{GatewayA}",
        ]))
        {
            (await tool.WaitForExitAsync(ToolBound)).Should().Be(0, tool.Output);
            tool.Output.Should().Contain("gateway:site-a:gw-enrolled").And.NotContain("gw-revoked").And.NotContain(enrolledPassword);
        }

        File.GetUnixFileMode(dynamicSecurity).Should().Be(OwnerOnly, "the tool writes the file owner-only as well");
        await secured.Broker.StartProcessAsync();

        await clients.ConnectAsync(secured.Options(BrokerRoles.GatewayUsername(Site, "gw-enrolled"), enrolledPassword));
        await ShouldBeRefusedAsync(clients, secured.Options(BrokerRoles.GatewayUsername(Site, "gw-revoked"), revokedPassword));
        foreach (var user in new[] { "ingest", BrokerRoles.GatewayUsername(Site, GatewayA) })
        {
            var renewed = SecretFile.Read(Path.Combine(folder, "secrets", user.Replace(':', '-') + ".password"));
            renewed.Should().NotBe(secured.PasswordOf(user));
            await clients.ConnectAsync(secured.Options(user, renewed));
            await ShouldBeRefusedAsync(clients, secured.Options(user));
        }
    }

    private static async Task ShouldBeRefusedAsync(Clients clients, MqttClientOptions options)
    {
        var (client, _) = clients.Create(options);
        using var timeout = new CancellationTokenSource(Clients.Timeout);
        (await FluentActions.Awaiting(() => client.ConnectAsync(timeout.Token)).Should().ThrowAsync<MqttException>())
            .Which.Message.Should().Contain("not authorised");
    }
}
