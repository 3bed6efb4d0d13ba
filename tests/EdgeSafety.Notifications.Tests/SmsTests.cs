using System.Text.Json;
using EdgeSafety.TestSupport;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

/// <summary>SMS through a gateway template, against a local receiver standing in for the gateway.</summary>
public sealed class SmsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ApiKey = "sms-key-7Q2";
    private HttpReceiver _gateway = null!;

    public async Task InitializeAsync() => _gateway = await HttpReceiver.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static NotificationTarget Phone(string number, NotificationLanguage language = NotificationLanguage.Chinese) =>
        new() { Channel = NotificationChannel.Sms, Address = number, Language = language };

    [Fact]
    public async Task A_json_template_is_filled_with_escaped_values_and_the_success_text_decides()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?>
        {
            ["Notifications:Sms:Url"] = _gateway.Url("sms/send").AbsoluteUri,
            ["Notifications:Sms:Headers:Authorization"] = "Bearer {apiKey}",
            ["Notifications:Sms:BodyTemplate"] = """{"to":"{phone}","content":"{text}","signName":"EdgeSafety"}""",
            ["Notifications:Sms:ApiKey"] = ApiKey,
            ["Notifications:Sms:SuccessBodyContains"] = "\"code\":0",
        });
        _gateway.ReplyInTurn(new HttpReply(200, """{"code":0,"msg":"ok"}"""), new HttpReply(200, """{"code":1001,"msg":"余额不足"}"""));
        // Quotes, a backslash and new lines must not break the JSON the template makes.
        var tricky = Notifications.EbikeCharging() with { Title = new LocalizedText("\"紧急\" 充电 \\ 告警", "\"Urgent\" charging \\ alert") };

        var sent = await sender.SendAsync(Phone("+86 138-0013-8000"), tricky);
        var refused = await sender.SendAsync(Phone("+86 138-0013-8000"), tricky);

        sent.Status.Should().Be(DeliveryStatus.Delivered, sent.Detail);
        refused.Status.Should().Be(DeliveryStatus.PermanentFailure);
        refused.Detail.Should().Contain("余额不足");
        var request = _gateway.Requests[0];
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/sms/send");
        request.Header("Authorization").Should().Be("Bearer " + ApiKey);
        request.Header("Content-Type").Should().Be("application/json; charset=utf-8");
        using var json = JsonDocument.Parse(request.Body);
        json.RootElement.GetProperty("to").GetString().Should().Be("+86 138-0013-8000");
        json.RootElement.GetProperty("signName").GetString().Should().Be("EdgeSafety");
        var text = json.RootElement.GetProperty("content").GetString()!;
        text.Should().StartWith("\"紧急\" 充电 \\ 告警\n检测到电动自行车电池正在室内充电");
        text.Should().EndWith("在平台中查看: https://edgesafety.example.org/alerts/a-42");
        sender.Log.Entries.Should().NotContain(e => e.Message.Contains(ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_template_is_url_encoded()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?>
        {
            ["Notifications:Sms:Url"] = _gateway.Url("api/sms").AbsoluteUri,
            ["Notifications:Sms:ContentType"] = "application/x-www-form-urlencoded",
            ["Notifications:Sms:BodyTemplate"] = "mobile={phone}&message={text}&key={apiKey}",
            ["Notifications:Sms:ApiKey"] = "k&=?",
        });

        var sent = await sender.SendAsync(Phone("+8613800138000", NotificationLanguage.English));

        sent.Status.Should().Be(DeliveryStatus.Delivered, sent.Detail);
        var request = _gateway.Requests.Should().ContainSingle().Subject;
        request.Header("Content-Type").Should().Be("application/x-www-form-urlencoded; charset=utf-8");
        var form = request.BodyText.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        form.Keys.Should().Equal("mobile", "message", "key");
        form["mobile"].Should().Be("+8613800138000");
        form["key"].Should().Be("k&=?");
        form["message"].Should().StartWith("E-bike charging indoors: building 3, unit 502\nAn e-bike battery");
    }

    [Fact]
    public async Task A_get_gateway_takes_the_values_in_the_query_and_long_texts_are_cut()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?>
        {
            ["Notifications:Sms:Method"] = "GET",
            ["Notifications:Sms:Url"] = _gateway.Url("send").AbsoluteUri + "?to={phone}&text={text}",
            ["Notifications:Sms:MaxTextLength"] = "30",
        });

        var sent = await sender.SendAsync(Phone("13800138000"));

        sent.Status.Should().Be(DeliveryStatus.Delivered, sent.Detail);
        var request = _gateway.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("GET");
        request.Query["to"].Should().Be("13800138000");
        request.Query["text"].Should().HaveLength(30).And.StartWith("电动车室内充电：3 栋 502 室\n").And.EndWith("…");
    }

    [Fact]
    public async Task A_number_that_is_not_a_phone_number_is_refused_without_calling_the_gateway()
    {
        await using var sender = new TestSender(output, new Dictionary<string, string?>
        {
            ["Notifications:Sms:Url"] = _gateway.Url("send").AbsoluteUri,
            ["Notifications:Sms:BodyTemplate"] = "{phone}:{text}",
            ["Notifications:Sms:ContentType"] = "text/plain",
        });

        var outcome = await sender.SendAsync(Phone("138&admin=1"));

        outcome.Status.Should().Be(DeliveryStatus.PermanentFailure);
        _gateway.Requests.Should().BeEmpty();
    }
}
