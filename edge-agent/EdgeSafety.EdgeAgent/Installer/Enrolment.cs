using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EdgeSafety.Mqtt;
using EdgeSafety.Provisioning;

namespace EdgeSafety.EdgeAgent.Installer;

/// <summary>
/// `enrol`: redeems a one-time code from the installer's dashboard for this gateway's own broker credentials, and
/// stores them for the service: the password owner-only, the broker's CA, and the settings in an environment file
/// (deploy/systemd/edgesafety-agent.service reads it). Nothing secret is printed.
/// </summary>
public static class Enrolment
{
    public const string PasswordFileName = "mqtt-password";
    public const string CaFileName = "broker-ca.pem";
    public const string SettingsFileName = "mqtt.env";

    public static async Task<int> RunAsync(Uri server, string code, string? caFile, string directory, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        if (server.Scheme != Uri.UriSchemeHttps)
        {
            await error.WriteLineAsync($"--server must be https://: the answer carries the gateway's password ({server}).");
            return 2;
        }

        GatewayEnrolment? enrolment;
        try
        {
            using var http = Client(caFile);
            using var response = await http.PostAsJsonAsync(new Uri(server, EnrolmentRequest.Path), new EnrolmentRequest(code), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                await error.WriteLineAsync($"Enrolment refused ({(int)response.StatusCode}): {Message(body)}");
                return 1;
            }

            enrolment = await response.Content.ReadFromJsonAsync<GatewayEnrolment>(JsonSerializerOptions.Web, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or IOException or System.Security.Cryptography.CryptographicException)
        {
            await error.WriteLineAsync($"Enrolment failed: {ex.Message}");
            return 1;
        }

        if (enrolment is null || string.IsNullOrEmpty(enrolment.Password))
        {
            await error.WriteLineAsync("Enrolment failed: the server's answer holds no credentials.");
            return 1;
        }

        Directory.CreateDirectory(directory);
        var passwordFile = Path.GetFullPath(Path.Combine(directory, PasswordFileName));
        var ca = Path.GetFullPath(Path.Combine(directory, CaFileName));
        SecretFile.Write(passwordFile, enrolment.Password);
        await File.WriteAllTextAsync(ca, enrolment.BrokerCaPem, cancellationToken);
        string[] settings =
        [
            $"Mqtt__Host={enrolment.BrokerHost}",
            $"Mqtt__Port={enrolment.BrokerPort.ToString(CultureInfo.InvariantCulture)}",
            $"Mqtt__TlsCaFile={ca}",
            $"Mqtt__Username={enrolment.Username}",
            $"Mqtt__PasswordFile={passwordFile}",
        ];
        var settingsFile = Path.Combine(directory, SettingsFileName);
        await File.WriteAllLinesAsync(settingsFile, settings, cancellationToken);
        await output.WriteLineAsync(
            $"Enrolled as gateway {enrolment.Gateway} of site {enrolment.Site}: broker {enrolment.BrokerHost}:{enrolment.BrokerPort} over TLS, " +
            $"user {enrolment.Username}, password in {passwordFile} (owner-only). Settings in {settingsFile}; the site " +
            $"configuration must name SiteId \"{enrolment.Site}\" and GatewayId \"{enrolment.Gateway}\".");
        return 0;
    }

    /// <summary>With --ca, the server's certificate must chain to that CA alone (the demo's, or the site's own); else the system's.</summary>
    private static HttpClient Client(string? caFile)
    {
        var handler = new HttpClientHandler();
        if (caFile is not null)
        {
            var trusted = X509CertificateLoader.LoadCertificateFromFile(caFile);
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(trusted);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The dashboard's error body is { "error", "message" }; anything else is shown as it came.</summary>
    private static string Message(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return body;
        }
    }
}
