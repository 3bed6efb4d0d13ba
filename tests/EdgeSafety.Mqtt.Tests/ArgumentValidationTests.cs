using System.ComponentModel.DataAnnotations;
using EdgeSafety.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSafety.Mqtt.Tests;

/// <summary>Wrong arguments fail at once with a clear exception, before anything reaches libmosquitto or a broker.</summary>
public sealed class ArgumentValidationTests
{
    private static readonly MqttClientOptions Unused = new() { Port = 1, ClientId = "validation" };

    /// <summary>Topics by name: a NUL or a lone surrogate in InlineData breaks the test runner's own messages.</summary>
    private static readonly Dictionary<string, string> InvalidTopics = new()
    {
        ["empty"] = "",
        ["plus"] = "site/+/alarm",
        ["hash"] = "site/#",
        ["nul"] = "site\0alarm",
        ["newline"] = "site\nalarm",
        ["surrogate"] = "site/\ud800",
    };

    [Theory]
    [InlineData("empty", "empty string")]
    [InlineData("plus", "wildcards")]
    [InlineData("hash", "wildcards")]
    [InlineData("nul", "NUL")]
    [InlineData("newline", "control characters")]
    [InlineData("surrogate", "lone surrogate")]
    public async Task Publishing_to_an_invalid_topic_throws_an_ArgumentException_that_says_why(string topicName, string reason)
    {
        await using var client = new MqttClient(Unused, NullLogger<MqttClient>.Instance);

        var publish = () => client.PublishAsync(InvalidTopics[topicName], new byte[] { 1 }, MqttQos.AtLeastOnce);

        (await publish.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain(reason);
        client.InflightCount.Should().Be(0);
    }

    [Theory]
    [InlineData("site/#/alarm")]
    [InlineData("site/a+")]
    [InlineData("site/##")]
    public async Task Subscribing_to_an_invalid_filter_throws_an_ArgumentException(string filter)
    {
        await using var client = new MqttClient(Unused, NullLogger<MqttClient>.Instance);

        var subscribe = () => client.SubscribeAsync(filter, MqttQos.AtLeastOnce);

        (await subscribe.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("not a valid topic filter");
    }

    [Fact]
    public async Task QoS_2_is_refused()
    {
        await using var client = new MqttClient(Unused, NullLogger<MqttClient>.Instance);

        var publish = () => client.PublishAsync("site/a", new byte[] { 1 }, (MqttQos)2);

        await publish.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Options_that_cannot_work_are_rejected_when_the_client_is_created()
    {
        var persistentWithoutId = new MqttClientOptions { CleanSession = false, ClientId = "" };
        var noPort = new MqttClientOptions { Port = 0 };
        var backwardsDelays = new MqttClientOptions { ReconnectDelayMinSeconds = 10, ReconnectDelayMaxSeconds = 5 };

        FluentActions.Invoking(() => new MqttClient(persistentWithoutId, NullLogger<MqttClient>.Instance))
            .Should().Throw<ValidationException>().WithMessage("*ClientId*");
        FluentActions.Invoking(() => new MqttClient(noPort, NullLogger<MqttClient>.Instance))
            .Should().Throw<ValidationException>().WithMessage("*Port*");
        FluentActions.Invoking(() => new MqttClient(backwardsDelays, NullLogger<MqttClient>.Instance))
            .Should().Throw<ValidationException>().WithMessage("*ReconnectDelay*");
    }

    [Fact]
    public async Task Calls_after_DisconnectAsync_throw_ObjectDisposedException()
    {
        var client = new MqttClient(Unused, NullLogger<MqttClient>.Instance);
        await client.DisconnectAsync();

        await FluentActions.Awaiting(() => client.PublishAsync("site/a", new byte[] { 1 }, MqttQos.AtLeastOnce))
            .Should().ThrowAsync<ObjectDisposedException>();
        await FluentActions.Awaiting(() => client.ConnectAsync(CancellationToken.None))
            .Should().ThrowAsync<ObjectDisposedException>();
        await client.DisposeAsync();
    }

    [Fact]
    public void TLS_settings_that_cannot_work_are_refused_naming_the_setting_and_the_file()
    {
        using var pki = TestCertificates.Create();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-ca.pem");
        var options = new MqttClientOptions { TlsCaFile = missing, TlsCertFile = pki.ClientCertFile };

        var errors = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);

        errors.Select(e => e.ErrorMessage).Should().Contain(m => m!.StartsWith($"TlsCaFile '{missing}' cannot be read", StringComparison.Ordinal))
            .And.Contain("TlsCertFile and TlsKeyFile go together: set both or neither.");
        FluentActions.Invoking(() => new MqttClient(options, NullLogger<MqttClient>.Instance)).Should().Throw<ValidationException>();
    }
}
