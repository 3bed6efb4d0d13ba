namespace EdgeSafety.Notifications;

/// <summary>How a notification travels.</summary>
public enum NotificationChannel
{
    /// <summary>Generic HTTPS webhook: documented JSON, HMAC-SHA256 signed.</summary>
    Webhook,

    /// <summary>WeChat Work (企业微信) group robot.</summary>
    WeChatWork,

    /// <summary>DingTalk (钉钉) custom robot.</summary>
    DingTalk,

    /// <summary>Feishu / Lark (飞书) custom bot.</summary>
    Feishu,

    Email,

    /// <summary>SMS through the HTTP gateway configured in Notifications:Sms.</summary>
    Sms,

    /// <summary>Web Push to a browser subscription (the dashboard's installable app).</summary>
    WebPush,
}

/// <summary>The keys of a browser's push subscription, base64url as the browser's PushSubscription.toJSON() gives them.</summary>
public sealed record WebPushKeys(string P256dh, string Auth);

/// <summary>
/// Where one notification goes. <see cref="Address"/> is the webhook or robot URL (a robot's URL carries its
/// access token: treat it as a secret), an e-mail address, a phone number, or a push subscription's endpoint.
/// </summary>
public sealed record NotificationTarget
{
    public required NotificationChannel Channel { get; init; }

    public required string Address { get; init; }

    /// <summary>
    /// A DingTalk or Feishu robot's signing secret ("加签"), when the robot has one; for a webhook, its own
    /// HMAC secret in place of Notifications:Webhook:Secret. Never logged.
    /// </summary>
    public string? Secret { get; init; }

    /// <summary>Required for <see cref="NotificationChannel.WebPush"/>.</summary>
    public WebPushKeys? PushKeys { get; init; }

    public NotificationLanguage Language { get; init; } = NotificationLanguage.Chinese;

    public override string ToString() => $"{Channel} target";
}
