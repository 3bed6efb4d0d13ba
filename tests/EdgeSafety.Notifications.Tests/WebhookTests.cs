using System.Text;
using System.Text.Json;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

public sealed class WebhookTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Secret = "whsec-test-3f9a1c";
    private HttpReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Delivers_the_documented_json_with_a_signature_that_verifies_and_fails_on_a_tampered_body()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?> { ["Notifications:Webhook:Secret"] = Secret });

        var outcome = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Webhook, Address = _receiver.Url("hooks/edgesafety").AbsoluteUri });

        outcome.Status.Should().Be(DeliveryStatus.Delivered, outcome.Detail);
        outcome.StatusCode.Should().Be(200);
        var request = _receiver.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/hooks/edgesafety");
        request.Header("Content-Type").Should().Be("application/json; charset=utf-8");
        request.Header("X-EdgeSafety-Notification-Id").Should().Be("n-1");

        var signature = request.Header("X-EdgeSafety-Signature");
        signature.Should().MatchRegex("^t=[0-9]+,v1=[0-9a-f]{64}$");
        WebhookSignature.Verify(signature, request.Body, Secret, TimeSpan.FromMinutes(5)).Should().BeTrue();

        var tampered = request.BodyText.Replace("\"count\":2", "\"count\":1", StringComparison.Ordinal);
        tampered.Should().NotBe(request.BodyText);
        WebhookSignature.Verify(signature, Encoding.UTF8.GetBytes(tampered), Secret, TimeSpan.FromMinutes(5)).Should().BeFalse();
        WebhookSignature.Verify(signature, request.Body, "another-secret", TimeSpan.FromMinutes(5)).Should().BeFalse();

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        root.GetProperty("version").GetInt32().Should().Be(1);
        root.GetProperty("notificationId").GetString().Should().Be("n-1");
        root.GetProperty("alertId").GetString().Should().Be("a-42");
        root.GetProperty("kind").GetString().Should().Be("ebike-charging");
        root.GetProperty("severity").GetString().Should().Be("critical");
        root.GetProperty("state").GetString().Should().Be("raised");
        root.GetProperty("site").GetString().Should().Be("xinhua-village");
        root.GetProperty("building").GetString().Should().Be("3");
        root.GetProperty("unit").GetString().Should().Be("502");
        root.GetProperty("device").GetString().Should().Be("meter-7");
        root.GetProperty("raisedAt").GetString().Should().Be("2025-11-03T14:05:09.120Z");
        root.GetProperty("count").GetInt32().Should().Be(2);
        root.GetProperty("title").GetProperty("zh-CN").GetString().Should().Be("电动车室内充电：3 栋 502 室");
        root.GetProperty("title").GetProperty("en").GetString().Should().StartWith("E-bike charging indoors");
        root.GetProperty("body").GetProperty("zh-CN").GetString().Should().Contain("电动自行车");
        root.GetProperty("evidence").GetProperty("power_w").GetString().Should().Be("187.5");
        root.GetProperty("link").GetString().Should().Be("https://edgesafety.example.org/alerts/a-42");
        // Chinese travels as UTF-8, not \u escapes, so a person reading a receiver's log can read it.
        request.BodyText.Should().Contain("电动车室内充电");
        sender.Log.ShouldHaveNoErrors();
    }

    [Fact]
    public async Task A_target_secret_signs_in_place_of_the_configured_one()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?> { ["Notifications:Webhook:Secret"] = Secret });

        await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Webhook, Address = _receiver.Url("h").AbsoluteUri, Secret = "per-endpoint" });

        var request = _receiver.Requests.Should().ContainSingle().Subject;
        WebhookSignature.Verify(request.Header("X-EdgeSafety-Signature"), request.Body, "per-endpoint", TimeSpan.FromMinutes(5)).Should().BeTrue();
        WebhookSignature.Verify(request.Header("X-EdgeSafety-Signature"), request.Body, Secret, TimeSpan.FromMinutes(5)).Should().BeFalse();
    }

    [Fact]
    public async Task The_secret_can_come_from_a_file()
    {
        using var folder = new TemporaryDirectory("webhook-secret");
        var file = folder.Combine("secret");
        SecretFile.Write(file, Secret);
        await using var sender = new TestSender(output, new Dictionary<string, string?> { ["Notifications:Webhook:SecretFile"] = file });

        await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Webhook, Address = _receiver.Url("h").AbsoluteUri });

        var request = _receiver.Requests.Should().ContainSingle().Subject;
        WebhookSignature.Verify(request.Header("X-EdgeSafety-Signature"), request.Body, Secret, TimeSpan.FromMinutes(5)).Should().BeTrue();
    }

    [Fact]
    public async Task A_failing_receiver_gives_a_transient_failure_then_delivery_and_client_errors_are_permanent()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?> { ["Notifications:Webhook:Secret"] = Secret });
        var target = new NotificationTarget { Channel = NotificationChannel.Webhook, Address = _receiver.Url("h").AbsoluteUri };
        _receiver.ReplyInTurn(
            new HttpReply(500, "database down"),
            new HttpReply(429, "slow down") { Headers = new Dictionary<string, string> { ["Retry-After"] = "30" } },
            new HttpReply(200),
            new HttpReply(400, "bad payload"),
            new HttpReply(408));

        var first = await sender.SendAsync(target);
        var second = await sender.SendAsync(target);
        var third = await sender.SendAsync(target);
        var fourth = await sender.SendAsync(target);
        var fifth = await sender.SendAsync(target);

        first.Status.Should().Be(DeliveryStatus.TransientFailure);
        first.StatusCode.Should().Be(500);
        first.Detail.Should().Contain("database down");
        second.Status.Should().Be(DeliveryStatus.TransientFailure);
        second.RetryAfter.Should().Be(TimeSpan.FromSeconds(30));
        third.Status.Should().Be(DeliveryStatus.Delivered);
        fourth.Status.Should().Be(DeliveryStatus.PermanentFailure);
        fourth.StatusCode.Should().Be(400);
        fifth.Status.Should().Be(DeliveryStatus.TransientFailure);
        // Every retry carries the same notification id, so the receiver can drop repeats.
        _receiver.Requests.Select(r => r.Header("X-EdgeSafety-Notification-Id")).Should().AllBe("n-1");
        sender.Log.Entries.Where(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Should().HaveCount(4);
        sender.Log.Entries.Should().NotContain(e => e.Message.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_listener_or_no_answer_in_time_is_transient_and_a_bad_address_is_permanent()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?> { ["Notifications:TimeoutSeconds"] = "1" });

        var refused = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Webhook, Address = $"http://127.0.0.1:{LoopbackPort.Next()}/h" });
        _receiver.Respond = _ => new HttpReply(200) { Delay = TimeSpan.FromSeconds(5) };
        var slow = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Webhook, Address = _receiver.Url("h").AbsoluteUri });
        var bad = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Webhook, Address = "ftp://example.org/x" });

        refused.Status.Should().Be(DeliveryStatus.TransientFailure);
        refused.Detail.Should().Contain("connection failed");
        slow.Status.Should().Be(DeliveryStatus.TransientFailure);
        slow.Detail.Should().Contain("no answer within 1 s");
        slow.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(4));
        bad.Status.Should().Be(DeliveryStatus.PermanentFailure);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_delivery_outcome()
    {
        await using var sender = new TestSender(output);
        _receiver.Respond = _ => new HttpReply(200) { Delay = TimeSpan.FromSeconds(5) };
        using var stopping = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var send = () => sender.Sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Webhook, Address = _receiver.Url("h").AbsoluteUri },
            Notifications.EbikeCharging(), stopping.Token);

        await send.Should().ThrowAsync<OperationCanceledException>();
    }
}
