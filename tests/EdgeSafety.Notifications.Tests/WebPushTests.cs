using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeSafety.TestSupport;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

/// <summary>
/// Web Push against a local push service that does what a browser and a push service do: checks the VAPID token
/// (RFC 8292) and decrypts the message with the subscription's private key and auth secret (RFC 8291, RFC 8188).
/// </summary>
public sealed class WebPushTests(ITestOutputHelper output) : IAsyncLifetime
{
    private HttpReceiver _pushService = null!;

    public async Task InitializeAsync() => _pushService = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await _pushService.DisposeAsync();

    /// <summary>RFC 8291 Appendix A, base64url without its line breaks.</summary>
    private static class Rfc8291
    {
        public const string Plaintext = "When I grow up, I want to be a watermelon";
        public const string SenderPrivateKey = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
        public const string SenderPublicKey = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8";
        public const string UserAgentPrivateKey = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
        public const string UserAgentPublicKey = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
        public const string Salt = "DGv6ra1nlYgDCS1FRnbzlw";
        public const string AuthSecret = "BTBZMqHH6r4Tts7J_aSIgg";
        public const string Body = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";
    }

    [Fact]
    public void Encryption_reproduces_the_RFC_8291_example()
    {
        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Base64Url.DecodeFromChars(Rfc8291.SenderPrivateKey),
        });
        Base64Url.EncodeToString(VapidKeys.PublicPoint(sender.ExportParameters(false))).Should().Be(Rfc8291.SenderPublicKey);

        var body = WebPushEncryption.Encrypt(Encoding.UTF8.GetBytes(Rfc8291.Plaintext), Base64Url.DecodeFromChars(Rfc8291.UserAgentPublicKey),
            Base64Url.DecodeFromChars(Rfc8291.AuthSecret), sender, Base64Url.DecodeFromChars(Rfc8291.Salt));

        Base64Url.EncodeToString(body).Should().Be(Rfc8291.Body);
    }

    [Fact]
    public void The_test_decryption_reads_the_RFC_8291_example()
    {
        using var userAgent = UserAgentKey(Rfc8291.UserAgentPrivateKey);

        Encoding.UTF8.GetString(Decrypt(Base64Url.DecodeFromChars(Rfc8291.Body), userAgent, Base64Url.DecodeFromChars(Rfc8291.AuthSecret)))
            .Should().Be(Rfc8291.Plaintext);
    }

    [Fact]
    public async Task The_push_service_gets_a_vapid_signed_message_the_browser_can_decrypt()
    {
        var vapid = VapidKeys.Generate();
        await using var sender = new TestSender(output, WebPushSettings(vapid.PrivateKey));
        var (subscription, userAgent, auth) = NewSubscription(_pushService.Url("push/v1/subscription-1"));
        using var _ = userAgent;
        _pushService.Respond = _ => new HttpReply(201, "");

        var outcome = await sender.SendAsync(subscription);

        outcome.Status.Should().Be(DeliveryStatus.Delivered, outcome.Detail);
        outcome.StatusCode.Should().Be(201);
        var request = _pushService.Requests.Should().ContainSingle().Subject;
        request.Path.Should().Be("/push/v1/subscription-1");
        request.Header("Content-Encoding").Should().Be("aes128gcm");
        request.Header("Content-Type").Should().Be("application/octet-stream");
        request.Header("TTL").Should().Be("3600");
        request.Header("Urgency").Should().Be("high");
        request.Header("Topic").Should().Be("a-42");

        VerifyVapid(request.Header("Authorization"), _pushService.BaseAddress, vapid.PublicKey, "mailto:ops@edgesafety.example.org");

        using var payload = JsonDocument.Parse(Decrypt(request.Body, userAgent, auth));
        payload.RootElement.GetProperty("notificationId").GetString().Should().Be("n-1");
        payload.RootElement.GetProperty("alertId").GetString().Should().Be("a-42");
        payload.RootElement.GetProperty("kind").GetString().Should().Be("ebike-charging");
        payload.RootElement.GetProperty("title").GetString().Should().Be("电动车室内充电：3 栋 502 室");
        payload.RootElement.GetProperty("body").GetString().Should().StartWith("检测到电动自行车电池");
        payload.RootElement.GetProperty("url").GetString().Should().Be("https://edgesafety.example.org/alerts/a-42");
    }

    [Fact]
    public async Task A_failing_push_service_is_transient_and_a_gone_subscription_is_permanent()
    {
        await using var sender = new TestSender(output, WebPushSettings(VapidKeys.Generate().PrivateKey));
        var (subscription, userAgent, _) = NewSubscription(_pushService.Url("push/v1/subscription-2"));
        using var _ = userAgent;
        _pushService.ReplyInTurn(new HttpReply(500, "try later"), new HttpReply(201), new HttpReply(410, "expired"), new HttpReply(404));

        var failed = await sender.SendAsync(subscription);
        var delivered = await sender.SendAsync(subscription);
        var gone = await sender.SendAsync(subscription);
        var unknown = await sender.SendAsync(subscription);

        failed.Status.Should().Be(DeliveryStatus.TransientFailure);
        delivered.Status.Should().Be(DeliveryStatus.Delivered);
        gone.Status.Should().Be(DeliveryStatus.PermanentFailure);
        gone.StatusCode.Should().Be(410);
        gone.Detail.Should().Contain("subscription gone");
        unknown.Status.Should().Be(DeliveryStatus.PermanentFailure);
        // Each attempt is encrypted afresh: a new salt and key, never the same bytes twice.
        _pushService.Requests.Select(r => Convert.ToHexString(r.Body)).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task A_subscription_with_bad_keys_fails_permanently_without_a_request()
    {
        await using var sender = new TestSender(output, WebPushSettings(VapidKeys.Generate().PrivateKey));

        var missing = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.WebPush, Address = _pushService.Url("p").AbsoluteUri });
        var shortKey = await sender.SendAsync(new NotificationTarget
        {
            Channel = NotificationChannel.WebPush,
            Address = _pushService.Url("p").AbsoluteUri,
            PushKeys = new WebPushKeys("BCVxsr7N", Rfc8291.AuthSecret),
        });
        var notOnCurve = await sender.SendAsync(new NotificationTarget
        {
            Channel = NotificationChannel.WebPush,
            Address = _pushService.Url("p").AbsoluteUri,
            PushKeys = new WebPushKeys(Base64Url.EncodeToString([0x04, .. new byte[64]]), Rfc8291.AuthSecret),
        });

        missing.Status.Should().Be(DeliveryStatus.PermanentFailure);
        shortKey.Status.Should().Be(DeliveryStatus.PermanentFailure);
        notOnCurve.Status.Should().Be(DeliveryStatus.PermanentFailure);
        _pushService.Requests.Should().BeEmpty();
    }

    [Fact]
    public void Generated_keys_are_a_P256_pair_and_a_PEM_private_key_works_too()
    {
        var pair = VapidKeys.Generate();

        Base64Url.DecodeFromChars(pair.PublicKey).Should().HaveCount(65).And.StartWith([0x04]);
        Base64Url.DecodeFromChars(pair.PrivateKey).Should().HaveCount(32);
        VapidKeys.PublicKeyOf(pair.PrivateKey).Should().Be(pair.PublicKey);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = key.ExportECPrivateKeyPem();
        VapidKeys.PublicKeyOf(pem).Should().Be(Base64Url.EncodeToString(VapidKeys.PublicPoint(key.ExportParameters(false))));
        VapidKeys.PublicKeyOf(key.ExportPkcs8PrivateKeyPem()).Should().Be(VapidKeys.PublicKeyOf(pem));
    }

    [Fact]
    public async Task The_vapid_keys_command_writes_a_private_key_the_sender_reads_and_prints_its_public_key()
    {
        using var folder = new TemporaryDirectory("vapid-command");
        var file = folder.Combine("vapid.pem");
        using var command = ExternalProcess.Start("vapid-keys", RepositoryPaths.File("edgesafety"), ["vapid-keys", file]);

        (await command.WaitForExitAsync(TimeSpan.FromSeconds(20))).Should().Be(0, command.Output);

        var printed = command.Output.Trim();
        VapidKeys.PublicKeyOf(await File.ReadAllTextAsync(file)).Should().Be(printed);
        if (OperatingSystem.IsLinux())
        {
            File.GetUnixFileMode(file).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the private key is readable by its owner only");
        }

        await using var sender = new TestSender(output, new Dictionary<string, string?>
        {
            ["Notifications:WebPush:Subject"] = "mailto:ops@edgesafety.example.org",
            ["Notifications:WebPush:PrivateKeyFile"] = file,
        });
        var (subscription, userAgent, _) = NewSubscription(_pushService.Url("push/v1/subscription-3"));
        using var _ = userAgent;
        (await sender.SendAsync(subscription)).Status.Should().Be(DeliveryStatus.Delivered);
        VerifyVapid(_pushService.Requests.Single().Header("Authorization"), _pushService.BaseAddress, printed, "mailto:ops@edgesafety.example.org");
    }

    private static Dictionary<string, string?> WebPushSettings(string privateKey) => new()
    {
        ["Notifications:WebPush:Subject"] = "mailto:ops@edgesafety.example.org",
        ["Notifications:WebPush:PrivateKey"] = privateKey,
        ["Notifications:WebPush:TtlSeconds"] = "3600",
    };

    /// <summary>What a browser's pushManager.subscribe() makes: a P-256 key pair and a 16-byte auth secret.</summary>
    private static (NotificationTarget Target, ECDiffieHellman UserAgent, byte[] Auth) NewSubscription(Uri endpoint)
    {
        var userAgent = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        var target = new NotificationTarget
        {
            Channel = NotificationChannel.WebPush,
            Address = endpoint.AbsoluteUri,
            PushKeys = new WebPushKeys(Base64Url.EncodeToString(VapidKeys.PublicPoint(userAgent.ExportParameters(false))), Base64Url.EncodeToString(auth)),
        };
        return (target, userAgent, auth);
    }

    private static ECDiffieHellman UserAgentKey(string privateKey) => ECDiffieHellman.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = Base64Url.DecodeFromChars(privateKey),
    });

    /// <summary>The user agent's side of RFC 8291 section 3.4 and RFC 8188 section 2, written from the RFCs.</summary>
    private static byte[] Decrypt(byte[] body, ECDiffieHellman userAgent, byte[] authSecret)
    {
        // RFC 8188 section 2.1: salt(16) | rs(4) | idlen(1) | keyid(idlen) | records.
        var salt = body[..16];
        var recordSize = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        int idLength = body[20];
        idLength.Should().Be(65, "RFC 8291 puts the sender's public key in keyid");
        var senderPublicKey = body[21..(21 + idLength)];
        var record = body[(21 + idLength)..];
        record.Length.Should().BeLessThanOrEqualTo(recordSize, "a single record");

        using var sender = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = senderPublicKey[1..33], Y = senderPublicKey[33..] },
        });
        var userAgentPublicKey = VapidKeys.PublicPoint(userAgent.ExportParameters(false));
        var ecdhSecret = userAgent.DeriveRawSecretAgreement(sender.PublicKey);

        // PRK_key = HMAC-SHA-256(auth_secret, ecdh_secret); IKM = HMAC-SHA-256(PRK_key, key_info || 0x01).
        var prkKey = HMACSHA256.HashData(authSecret, ecdhSecret);
        byte[] keyInfo = [.. Encoding.ASCII.GetBytes("WebPush: info"), 0x00, .. userAgentPublicKey, .. senderPublicKey, 0x01];
        var ikm = HMACSHA256.HashData(prkKey, keyInfo);

        // PRK = HMAC-SHA-256(salt, IKM); CEK = first 16 bytes of HMAC-SHA-256(PRK, cek_info || 0x01); NONCE likewise, 12 bytes.
        var prk = HMACSHA256.HashData(salt, ikm);
        byte[] cekInfo = [.. Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm"), 0x00, 0x01];
        byte[] nonceInfo = [.. Encoding.ASCII.GetBytes("Content-Encoding: nonce"), 0x00, 0x01];
        var contentKey = HMACSHA256.HashData(prk, cekInfo)[..16];
        var nonce = HMACSHA256.HashData(prk, nonceInfo)[..12];

        var padded = new byte[record.Length - 16];
        using var aes = new AesGcm(contentKey, 16);
        aes.Decrypt(nonce, record[..^16], record[^16..], padded);

        // The last record ends with 0x02 followed by zero or more 0x00 of padding.
        var end = padded.Length - 1;
        while (padded[end] == 0x00)
        {
            end--;
        }

        padded[end].Should().Be(0x02, "the only record is the last one");
        return padded[..end];
    }

    /// <summary>RFC 8292: Authorization "vapid t=JWT, k=KEY", ES256 over the JWT, audience the push service's origin, expiry within 24 hours.</summary>
    private static void VerifyVapid(string? authorization, Uri pushService, string expectedPublicKey, string expectedSubject)
    {
        authorization.Should().NotBeNull().And.StartWith("vapid ");
        var parameters = authorization!["vapid ".Length..].Split(',').Select(p => p.Trim().Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        parameters["k"].Should().Be(expectedPublicKey);
        var parts = parameters["t"].Split('.');
        parts.Should().HaveCount(3);

        var publicKey = Base64Url.DecodeFromChars(parameters["k"]);
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicKey[1..33], Y = publicKey[33..] },
        });
        verifier.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256)
            .Should().BeTrue("the JWT is signed with the VAPID key");
        var forged = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}x");
        verifier.VerifyData(forged, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256).Should().BeFalse();

        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        header.RootElement.GetProperty("alg").GetString().Should().Be("ES256");
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        claims.RootElement.GetProperty("aud").GetString().Should().Be(pushService.GetLeftPart(UriPartial.Authority));
        claims.RootElement.GetProperty("sub").GetString().Should().Be(expectedSubject);
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        expires.Should().BeAfter(DateTimeOffset.UtcNow).And.BeBefore(DateTimeOffset.UtcNow.AddHours(24));
    }
}
