using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeSafety.Notifications;

/// <summary>
/// WeChat Work group robot: <c>{"msgtype":"markdown","markdown":{"content":"..."}}</c> POSTed to the robot's
/// URL (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...); markdown content at most 4096 bytes of UTF-8.
/// The reply is <c>{"errcode":0,"errmsg":"ok"}</c>; 45009 is its rate limit (20 messages a minute per robot).
/// </summary>
internal sealed class WeChatWorkChannel(Func<HttpClient> http, MessageText texts) : INotificationChannel
{
    private const int MaxContentBytes = 4096;

    public NotificationChannel Channel => NotificationChannel.WeChatWork;

    public bool IsConfigured => true;

    public Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken)
    {
        var content = MessageText.CutToBytes(texts.Markdown(notification, target.Language), MaxContentBytes);
        var body = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject { ["content"] = content },
        };
        return RobotRequests.PostAsync(http(), HttpTargets.Url(target), body, "errcode", [45009], cancellationToken);
    }
}

/// <summary>
/// DingTalk custom robot: <c>{"msgtype":"markdown","markdown":{"title":"...","text":"..."}}</c> POSTed to
/// https://oapi.dingtalk.com/robot/send?access_token=...; with a signing secret ("加签", starting SEC) the URL
/// also gets <c>timestamp</c> (milliseconds) and <c>sign</c> = urlencode(base64(HmacSHA256(key: secret,
/// message: timestamp + "\n" + secret))). The reply is <c>{"errcode":0,"errmsg":"ok"}</c>; 130101 and 410100 are its rate
/// limit (20 messages a minute per robot).
/// </summary>
internal sealed class DingTalkChannel(Func<HttpClient> http, MessageText texts, TimeProvider clock) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.DingTalk;

    public bool IsConfigured => true;

    public Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken)
    {
        var url = HttpTargets.Url(target);
        if (!string.IsNullOrEmpty(target.Secret))
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
            url = new Uri($"{url.AbsoluteUri}{separator}timestamp={timestamp}&sign={Uri.EscapeDataString(Sign(target.Secret, timestamp))}");
        }

        var body = new JsonObject
        {
            ["msgtype"] = "markdown",
            ["markdown"] = new JsonObject
            {
                ["title"] = texts.Title(notification, target.Language),
                ["text"] = texts.Markdown(notification, target.Language),
            },
        };
        return RobotRequests.PostAsync(http(), url, body, "errcode", [130101, 410100], cancellationToken);
    }

    /// <summary>base64(HmacSHA256(key: secret, message: timestamp + "\n" + secret)), before URL-encoding.</summary>
    public static string Sign(string secret, long timestampMilliseconds)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var message = Encoding.UTF8.GetBytes(timestampMilliseconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret);
        return Convert.ToBase64String(HMACSHA256.HashData(key, message));
    }
}

/// <summary>
/// Feishu / Lark custom bot: a rich-text "post" message, <c>{"msg_type":"post","content":{"post":{"zh_cn":
/// {"title":"...","content":[[{"tag":"text","text":"..."}],...]}}}}</c> POSTed to
/// https://open.feishu.cn/open-apis/bot/v2/hook/...; with a signing secret the body also carries
/// <c>timestamp</c> (seconds, as a string) and <c>sign</c> = base64(HmacSHA256(key: timestamp + "\n" + secret,
/// message: empty)). The reply is <c>{"code":0,"msg":"success"}</c>; 11232 is its rate limit.
/// </summary>
internal sealed class FeishuChannel(Func<HttpClient> http, MessageText texts, TimeProvider clock) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.Feishu;

    public bool IsConfigured => true;

    public Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken)
    {
        var paragraphs = new JsonArray();
        foreach (var line in texts.Lines(notification, target.Language))
        {
            paragraphs.Add(new JsonArray(new JsonObject { ["tag"] = "text", ["text"] = line }));
        }

        if (notification.Link is { } link)
        {
            paragraphs.Add(new JsonArray(new JsonObject
            {
                ["tag"] = "a",
                ["text"] = MessageText.LinkLabel(target.Language),
                ["href"] = link.AbsoluteUri,
            }));
        }

        var body = new JsonObject();
        if (!string.IsNullOrEmpty(target.Secret))
        {
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            body["timestamp"] = timestamp.ToString(CultureInfo.InvariantCulture);
            body["sign"] = Sign(target.Secret, timestamp);
        }

        body["msg_type"] = "post";
        body["content"] = new JsonObject
        {
            ["post"] = new JsonObject
            {
                [target.Language == NotificationLanguage.English ? "en_us" : "zh_cn"] = new JsonObject
                {
                    ["title"] = texts.Title(notification, target.Language),
                    ["content"] = paragraphs,
                },
            },
        };
        return RobotRequests.PostAsync(http(), HttpTargets.Url(target), body, "code", [11232], cancellationToken);
    }

    /// <summary>base64(HmacSHA256(key: timestamp + "\n" + secret, message: nothing)).</summary>
    public static string Sign(string secret, long timestampSeconds) =>
        Convert.ToBase64String(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(timestampSeconds.ToString(CultureInfo.InvariantCulture) + "\n" + secret), Array.Empty<byte>()));
}

/// <summary>What the three robots share: a JSON POST whose HTTP 200 reply still carries the real verdict in a code field.</summary>
internal static class RobotRequests
{
    public static async Task<DeliveryOutcome> PostAsync(HttpClient http, Uri url, JsonObject body, string codeField,
        int[] rateLimitCodes, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(url, body, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await DeliveryOutcomes.FromFailedResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var status = (int)response.StatusCode;
        var fullReply = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var reply = DeliveryOutcomes.Shorten(fullReply);
        long? code;
        try
        {
            code = JsonNode.Parse(fullReply)?[codeField]?.GetValue<long>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            code = null;
        }

        return code switch
        {
            0 => DeliveryOutcomes.Delivered(status),
            null => DeliveryOutcomes.Permanent($"unexpected reply without {codeField}: {reply}", status),
            var c when rateLimitCodes.Contains((int)c) => DeliveryOutcomes.Transient($"rate limited: {reply}", status),
            _ => DeliveryOutcomes.Permanent($"refused: {reply}", status),
        };
    }
}
