using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeSafety.Contracts;
using EdgeSafety.Dashboard.Provisioning;
using EdgeSafety.EdgeAgent.Installer;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSafety.Provisioning.Tests;

/// <summary>
/// The whole enrolment: the dashboard's provisioning endpoints on a real HTTPS listener with the test CA, the agent's
/// `enrol` command redeeming a code, and the stored credentials connecting to the broker as shipped.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class EnrolmentTests(SecuredBroker secured, ITestOutputHelper output) : IClassFixture<SecuredBroker>, IAsyncLifetime
{
    private readonly TemporaryDirectory _gateway = new("enrolled-gateway");
    private WebApplication _dashboard = null!;
    private Uri _server = null!;

    public async Task InitializeAsync()
    {
        var port = LoopbackPort.Next();
        _server = new Uri($"https://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var builder = WebApplication.CreateBuilder();
        var broker = secured.Options("provisioning");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Provisioning:Broker:Host"] = broker.Host,
            ["Provisioning:Broker:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Provisioning:Broker:TlsCaFile"] = broker.TlsCaFile,
            ["Provisioning:Broker:Username"] = broker.Username,
            ["Provisioning:Broker:Password"] = broker.Password,
            ["Provisioning:GatewayBroker:Host"] = broker.Host,
            ["Provisioning:GatewayBroker:Port"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Provisioning:GatewayBroker:CaFile"] = secured.Certificates.CaFile,
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
            listen.UseHttps(X509Certificate2.CreateFromPemFile(secured.Certificates.ServerCertFile, secured.Certificates.ServerKeyFile))));
        builder.AddGatewayProvisioning();
        _dashboard = builder.Build();
        _dashboard.MapGatewayProvisioning();
        await _dashboard.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        _gateway.Dispose();
    }

    [Fact]
    public async Task The_agent_redeems_a_code_once_stores_owner_only_credentials_and_publishes_with_them()
    {
        var (code, _) = _dashboard.Services.GetRequiredService<EnrolmentCodes>().Issue(SecuredBroker.Site, "gw-new", "installer-wu");
        // The agent's own command line, as the installer runs it on site.
        using var enrol = ExternalProcess.Start("edge agent enrol", "dotnet",
        [
            Path.Combine(ServiceProcess.OutputDirectory("EdgeSafety.EdgeAgent"), "EdgeSafety.EdgeAgent.dll"), "enrol",
            "--server", _server.ToString(), "--code", code, "--ca", secured.Certificates.CaFile, "--out", _gateway.Path,
        ]);
        var exit = await enrol.WaitForExitAsync(TimeSpan.FromSeconds(60));

        exit.Should().Be(0, enrol.Output);
        var passwordFile = _gateway.Combine(Enrolment.PasswordFileName);
        File.GetUnixFileMode(passwordFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var password = await File.ReadAllTextAsync(passwordFile);
        enrol.Output.Should().Contain("gw-new").And.NotContain(password.Trim(), "the password is never printed");

        var settings = (await File.ReadAllLinesAsync(_gateway.Combine(Enrolment.SettingsFileName)))
            .Select(line => line.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        var options = new MqttClientOptions
        {
            Host = settings["Mqtt__Host"],
            Port = int.Parse(settings["Mqtt__Port"], CultureInfo.InvariantCulture),
            TlsCaFile = settings["Mqtt__TlsCaFile"],
            Username = settings["Mqtt__Username"],
            PasswordFile = settings["Mqtt__PasswordFile"],
        };
        await using var clients = new Clients(output);
        var ingestReceived = new ConcurrentQueue<MqttMessage>();
        var ingest = await clients.ConnectAsync(secured.Options("ingest"), ingestReceived);
        await ingest.SubscribeAsync(Topics.AllReadings, MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        var gateway = await clients.ConnectAsync(options);
        await gateway.PublishAsync(Topics.Readings(SecuredBroker.Site, "gw-new", "meter-1"), "hello"u8.ToArray(), MqttQos.AtLeastOnce).WaitAsync(Clients.Timeout);
        await Eventually.SucceedsAsync(() => ingestReceived.Should().ContainSingle(), Clients.Timeout, "the enrolled gateway's reading");

        var errors = new StringWriter();
        var again = await Enrolment.RunAsync(_server, code, secured.Certificates.CaFile, _gateway.Combine("again"), TextWriter.Null, errors,
            CancellationToken.None);
        again.Should().Be(1, "a code works once");
        errors.ToString().Should().Contain("wrong, used or expired");
        clients.ShouldHaveLoggedNoErrors();
    }

    [Fact]
    public async Task The_agent_refuses_a_dashboard_whose_certificate_does_not_chain_to_the_given_CA()
    {
        var (code, _) = _dashboard.Services.GetRequiredService<EnrolmentCodes>().Issue(SecuredBroker.Site, "gw-new", "installer-wu");
        var errors = new StringWriter();

        var exit = await Enrolment.RunAsync(_server, code, secured.Certificates.OtherCaFile, _gateway.Path, TextWriter.Null, errors, CancellationToken.None);

        exit.Should().Be(1);
        errors.ToString().Should().Contain("Enrolment failed");
        File.Exists(_gateway.Combine(Enrolment.PasswordFileName)).Should().BeFalse();
    }
}
