using System.Security.Cryptography;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

/// <summary>Wrong notification settings stop the service at start, each failure naming its setting.</summary>
public sealed class SettingsTests(ITestOutputHelper output)
{
    private IReadOnlyList<string> Failures(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddNotifications()
            .BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<NotificationOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                output.WriteLine(failure);
            }

            return [.. ex.Failures];
        }
    }

    [Fact]
    public async Task No_settings_are_valid_and_leave_only_the_channels_that_need_none_on()
    {
        Failures([]).Should().BeEmpty();
        await using var sender = new TestSender(output);
        sender.Sender.IsConfigured(NotificationChannel.Webhook).Should().BeTrue();
        sender.Sender.IsConfigured(NotificationChannel.DingTalk).Should().BeTrue();
        sender.Sender.IsConfigured(NotificationChannel.Email).Should().BeFalse();
        sender.Sender.IsConfigured(NotificationChannel.Sms).Should().BeFalse();
        sender.Sender.IsConfigured(NotificationChannel.WebPush).Should().BeFalse();
    }

    [Fact]
    public void Each_wrong_setting_is_named()
    {
        var failures = Failures(new()
        {
            ["Notifications:TimeZone"] = "Mars/Olympus_Mons",
            ["Notifications:TimeoutSeconds"] = "0",
            ["Notifications:Webhook:SecretFile"] = "/nonexistent/webhook-secret",
            ["Notifications:Email:Host"] = "smtp.example.org",
            ["Notifications:Sms:Url"] = "sms-gateway/send",
            ["Notifications:Sms:Method"] = "DELETE",
            ["Notifications:WebPush:Subject"] = "ops@example.org",
            ["Notifications:WebPush:PrivateKey"] = "not-a-key",
        });

        failures.Should().Contain(f => f.StartsWith("Notifications.TimeZone:", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Notifications.TimeoutSeconds:", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Notifications.Webhook.SecretFile:", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Notifications.Email.From:", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Notifications.Sms.Url:", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Notifications.Sms.Method:", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Notifications.WebPush.Subject:", StringComparison.Ordinal));
        failures.Should().Contain(f => f.StartsWith("Notifications.WebPush.PrivateKey:", StringComparison.Ordinal));
        failures.Should().NotContain(f => f.Contains("not-a-key", StringComparison.Ordinal), "a secret is never repeated in a message");
    }

    [Fact]
    public void A_vapid_key_file_in_PEM_is_accepted()
    {
        using var folder = new TemporaryDirectory("vapid");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SecretFile.Write(folder.Combine("vapid.pem"), key.ExportECPrivateKeyPem());

        Failures(new()
        {
            ["Notifications:WebPush:Subject"] = "https://edgesafety.example.org",
            ["Notifications:WebPush:PrivateKeyFile"] = folder.Combine("vapid.pem"),
        }).Should().BeEmpty();
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void A_secret_file_its_group_or_others_may_read_is_refused_naming_the_setting_and_the_file()
    {
        using var folder = new TemporaryDirectory("notification-secrets");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var files = new Dictionary<string, string>
        {
            ["Webhook:SecretFile"] = "a webhook secret",
            ["Email:PasswordFile"] = "an smtp password",
            ["Sms:ApiKeyFile"] = "an sms api key",
            ["WebPush:PrivateKeyFile"] = key.ExportECPrivateKeyPem(),
        };
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Email:Host"] = "smtp.example.org",
            ["Notifications:Email:From"] = "alerts@example.org",
            ["Notifications:WebPush:Subject"] = "mailto:ops@example.org",
        };
        foreach (var (setting, secret) in files)
        {
            var file = folder.Combine(setting.Replace(':', '-'));
            SecretFile.Write(file, secret);
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            settings[$"Notifications:{setting}"] = file;
        }

        var failures = Failures(settings);

        failures.Should().HaveCount(files.Count);
        foreach (var setting in files.Keys)
        {
            var file = folder.Combine(setting.Replace(':', '-'));
            failures.Should().Contain($"Notifications.{setting.Replace(':', '.')}: Secret file '{file}' is readable or writable by others than its owner; make it owner-only: chmod 600 '{file}'.");
        }

        failures.Should().NotContain(f => files.Values.Any(secret => f.Contains(secret, StringComparison.Ordinal)), "a secret is never repeated in a message");
    }
}
