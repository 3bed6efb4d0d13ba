using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeSafety.TestSupport;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

/// <summary>
/// The group robots, each against a local receiver that checks the documented message shape and signature and
/// answers as the service does: HTTP 200 with a JSON code, where a non-zero code is a refusal.
/// </summary>
public sealed class RobotTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string RobotSecret = "SECexample0123456789";
    private HttpReceiver _receiver = null!;
    private readonly TestSender _sender = new(output);

    public async Task InitializeAsync() => _receiver = await HttpReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await _sender.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private Task<DeliveryOutcome> SendAsync(NotificationChannel channel, string pathAndQuery, string? secret = null,
        NotificationLanguage language = NotificationLanguage.Chinese) =>
        _sender.SendAsync(
            new NotificationTarget { Channel = channel, Address = _receiver.Url(pathAndQuery).AbsoluteUri, Secret = secret, Language = language });

    [Fact]
    public async Task WeChat_Work_gets_a_markdown_message_and_its_error_code_is_a_permanent_failure()
    {
        _receiver.ReplyInTurn(
            new HttpReply(200, """{"errcode":0,"errmsg":"ok"}"""),
            new HttpReply(200, """{"errcode":93000,"errmsg":"invalid webhook url"}"""),
            new HttpReply(200, """{"errcode":45009,"errmsg":"api freq out of limit"}"""));

        var delivered = await SendAsync(NotificationChannel.WeChatWork, "cgi-bin/webhook/send?key=robot-key");
        var refused = await SendAsync(NotificationChannel.WeChatWork, "cgi-bin/webhook/send?key=robot-key");
        var limited = await SendAsync(NotificationChannel.WeChatWork, "cgi-bin/webhook/send?key=robot-key");

        delivered.Status.Should().Be(DeliveryStatus.Delivered, delivered.Detail);
        refused.Status.Should().Be(DeliveryStatus.PermanentFailure);
        refused.Detail.Should().Contain("93000");
        limited.Status.Should().Be(DeliveryStatus.TransientFailure);

        var request = _receiver.Requests[0];
        request.Path.Should().Be("/cgi-bin/webhook/send");
        request.Query["key"].Should().Be("robot-key");
        request.Header("Content-Type").Should().StartWith("application/json");
        using var json = JsonDocument.Parse(request.Body);
        json.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("msgtype", "markdown");
        json.RootElement.GetProperty("msgtype").GetString().Should().Be("markdown");
        var content = json.RootElement.GetProperty("markdown").GetProperty("content").GetString()!;
        content.Should().StartWith("### 电动车室内充电：3 栋 502 室");
        content.Should().Contain("> 地点：xinhua-village / 3 / 502");
        content.Should().Contain("> 时间：2025-11-03 22:05:09 (UTC+08:00)");
        content.Should().Contain("[在平台中查看](https://edgesafety.example.org/alerts/a-42)");
        Encoding.UTF8.GetByteCount(content).Should().BeLessThanOrEqualTo(4096);
    }

    [Fact]
    public async Task DingTalk_gets_a_markdown_message_signed_in_the_query_as_documented()
    {
        _receiver.ReplyInTurn(
            new HttpReply(200, """{"errcode":0,"errmsg":"ok"}"""),
            new HttpReply(200, """{"errcode":310000,"errmsg":"sign not match"}"""),
            new HttpReply(200, """{"errcode":130101,"errmsg":"send too fast"}"""));

        var delivered = await SendAsync(NotificationChannel.DingTalk, "robot/send?access_token=token-1", RobotSecret, NotificationLanguage.English);
        var refused = await SendAsync(NotificationChannel.DingTalk, "robot/send?access_token=token-1", RobotSecret);
        var limited = await SendAsync(NotificationChannel.DingTalk, "robot/send?access_token=token-1", RobotSecret);

        delivered.Status.Should().Be(DeliveryStatus.Delivered, delivered.Detail);
        refused.Status.Should().Be(DeliveryStatus.PermanentFailure);
        refused.Detail.Should().Contain("sign not match");
        limited.Status.Should().Be(DeliveryStatus.TransientFailure);

        var request = _receiver.Requests[0];
        request.Path.Should().Be("/robot/send");
        request.Query["access_token"].Should().Be("token-1");
        // The service's check: timestamp in milliseconds within an hour, sign = base64(HmacSHA256(secret, timestamp + "\n" + secret)).
        var timestamp = long.Parse(request.Query["timestamp"], CultureInfo.InvariantCulture);
        Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - timestamp).Should().BeLessThan(3_600_000);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(RobotSecret),
            Encoding.UTF8.GetBytes($"{timestamp}\n{RobotSecret}")));
        request.Query["sign"].Should().Be(expected);

        using var json = JsonDocument.Parse(request.Body);
        json.RootElement.GetProperty("msgtype").GetString().Should().Be("markdown");
        json.RootElement.GetProperty("markdown").GetProperty("title").GetString().Should().Be("E-bike charging indoors: building 3, unit 502");
        var text = json.RootElement.GetProperty("markdown").GetProperty("text").GetString()!;
        text.Should().Contain("An e-bike battery is charging indoors.");
        text.Should().Contain("> Evidence: power_w = 187.5, confidence = 0.97");
        text.Should().Contain("[Open in the dashboard](https://edgesafety.example.org/alerts/a-42)");
    }

    [Fact]
    public void DingTalk_and_Feishu_signatures_match_the_documented_python_examples()
    {
        // Values printed by the Python snippets of the DingTalk and Feishu documentation for this secret and timestamp.
        DingTalkChannel.Sign(RobotSecret, 1_700_000_000_000).Should().Be("figG6qqCA/lRh0hsGCW2zNtNV5znkAFut5BI0zKhqnQ=");
        Uri.EscapeDataString(DingTalkChannel.Sign(RobotSecret, 1_700_000_000_000)).Should().Be("figG6qqCA%2FlRh0hsGCW2zNtNV5znkAFut5BI0zKhqnQ%3D");
        FeishuChannel.Sign(RobotSecret, 1_700_000_000).Should().Be("S7TuSij45SE3ul/eGkJ5Bwcxf8ZNyPIQzqpjNU85VYk=");
    }

    [Fact]
    public async Task Feishu_gets_a_signed_rich_text_post_and_a_non_zero_code_is_a_permanent_failure()
    {
        _receiver.ReplyInTurn(
            new HttpReply(200, """{"code":0,"msg":"success","data":{}}"""),
            new HttpReply(200, """{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}"""),
            new HttpReply(200, """{"code":11232,"msg":"frequency limited"}"""),
            new HttpReply(200, "<html>proxy error</html>"));

        var delivered = await SendAsync(NotificationChannel.Feishu, "open-apis/bot/v2/hook/hook-id", RobotSecret);
        var refused = await SendAsync(NotificationChannel.Feishu, "open-apis/bot/v2/hook/hook-id", RobotSecret);
        var limited = await SendAsync(NotificationChannel.Feishu, "open-apis/bot/v2/hook/hook-id", RobotSecret);
        var garbled = await SendAsync(NotificationChannel.Feishu, "open-apis/bot/v2/hook/hook-id", RobotSecret);

        delivered.Status.Should().Be(DeliveryStatus.Delivered, delivered.Detail);
        refused.Status.Should().Be(DeliveryStatus.PermanentFailure);
        refused.Detail.Should().Contain("19021");
        limited.Status.Should().Be(DeliveryStatus.TransientFailure);
        garbled.Status.Should().Be(DeliveryStatus.PermanentFailure);

        var request = _receiver.Requests[0];
        request.Path.Should().Be("/open-apis/bot/v2/hook/hook-id");
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        // The service's check: timestamp in seconds within an hour, sign = base64(HmacSHA256(key: timestamp + "\n" + secret, message: empty)).
        var timestamp = long.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);
        Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp).Should().BeLessThan(3600);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes($"{timestamp}\n{RobotSecret}"), ReadOnlySpan<byte>.Empty));
        root.GetProperty("sign").GetString().Should().Be(expected);
        root.GetProperty("msg_type").GetString().Should().Be("post");
        var post = root.GetProperty("content").GetProperty("post").GetProperty("zh_cn");
        post.GetProperty("title").GetString().Should().Be("电动车室内充电：3 栋 502 室");
        var paragraphs = post.GetProperty("content").EnumerateArray().ToList();
        paragraphs.Should().AllSatisfy(p => p.ValueKind.Should().Be(JsonValueKind.Array));
        paragraphs[0][0].GetProperty("tag").GetString().Should().Be("text");
        paragraphs[0][0].GetProperty("text").GetString().Should().Contain("电动自行车");
        var link = paragraphs[^1][0];
        link.GetProperty("tag").GetString().Should().Be("a");
        link.GetProperty("href").GetString().Should().Be("https://edgesafety.example.org/alerts/a-42");
    }

    [Fact]
    public async Task A_robot_without_a_secret_is_sent_unsigned()
    {
        await SendAsync(NotificationChannel.DingTalk, "robot/send?access_token=token-2");
        await SendAsync(NotificationChannel.Feishu, "open-apis/bot/v2/hook/hook-id");

        _receiver.Requests[0].Query.Keys.Should().Equal("access_token");
        using var json = JsonDocument.Parse(_receiver.Requests[1].Body);
        json.RootElement.TryGetProperty("sign", out _).Should().BeFalse();
    }

    [Fact]
    public async Task An_HTTP_error_from_a_robot_is_classified_like_any_other()
    {
        _receiver.ReplyInTurn(new HttpReply(502, "bad gateway"), new HttpReply(404, "not found"));

        var gateway = await SendAsync(NotificationChannel.WeChatWork, "cgi-bin/webhook/send?key=k");
        var missing = await SendAsync(NotificationChannel.WeChatWork, "cgi-bin/webhook/send?key=k");

        gateway.Status.Should().Be(DeliveryStatus.TransientFailure);
        missing.Status.Should().Be(DeliveryStatus.PermanentFailure);
    }
}
