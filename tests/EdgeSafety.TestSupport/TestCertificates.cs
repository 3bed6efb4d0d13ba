using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeSafety.TestSupport;

/// <summary>
/// A throw-away PKI in PEM files for TLS tests (EC P-256): a CA, a broker certificate for 127.0.0.1 and localhost, a
/// client certificate, both signed by the CA, and a second, unrelated CA that a client must not trust the broker with.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly TemporaryDirectory _directory = new("pki");

    private TestCertificates()
    {
    }

    public string CaFile => _directory.Combine("ca.pem");

    public string OtherCaFile => _directory.Combine("other-ca.pem");

    public string ServerCertFile => _directory.Combine("server.pem");

    public string ServerKeyFile => _directory.Combine("server.key");

    public string ClientCertFile => _directory.Combine("client.pem");

    public string ClientKeyFile => _directory.Combine("client.key");

    public static TestCertificates Create()
    {
        var pki = new TestCertificates();
        var now = DateTimeOffset.UtcNow;
        using var ca = CreateCa("EdgeSafety test CA", now);
        using var otherCa = CreateCa("Somebody else's CA", now);
        File.WriteAllText(pki.CaFile, ca.ExportCertificatePem());
        File.WriteAllText(pki.OtherCaFile, otherCa.ExportCertificatePem());

        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        Issue(ca, "CN=mosquitto test broker", names.Build(), X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement,
            "1.3.6.1.5.5.7.3.1", now, pki.ServerCertFile, pki.ServerKeyFile);
        Issue(ca, "CN=gw-test", extension: null, X509KeyUsageFlags.DigitalSignature,
            "1.3.6.1.5.5.7.3.2", now, pki.ClientCertFile, pki.ClientKeyFile);
        return pki;
    }

    public void Dispose() => _directory.Dispose();

    private static X509Certificate2 CreateCa(string name, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static void Issue(X509Certificate2 ca, string subject, X509Extension? extension, X509KeyUsageFlags usage,
        string extendedUsage, DateTimeOffset now, string certFile, string keyFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedUsage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (extension is not null)
        {
            request.CertificateExtensions.Add(extension);
        }

        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        // Owner-only, as every service requires of a private key file (SecretFile).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
