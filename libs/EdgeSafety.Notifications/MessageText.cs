using System.Globalization;
using System.Text;

namespace EdgeSafety.Notifications;

/// <summary>
/// The human-readable message every person-facing channel sends: title, body, where, when, the evidence and the
/// link, in the target's language. Plain lines, or markdown for the robots that render it.
/// </summary>
internal sealed class MessageText(TimeZoneInfo timeZone)
{
    public string Title(AlertNotification notification, NotificationLanguage language) => notification.Title.In(language);

    /// <summary>The lines under the title, without the link.</summary>
    public IReadOnlyList<string> Lines(AlertNotification notification, NotificationLanguage language)
    {
        var english = language == NotificationLanguage.English;
        var lines = new List<string> { notification.Body.In(language) };
        lines.Add((english ? "Where: " : "地点：") + Where(notification));
        if (notification.Device is { } device)
        {
            lines.Add((english ? "Device: " : "设备：") + device);
        }

        lines.Add((english ? "Raised: " : "时间：") + LocalTime(notification.RaisedAt));
        if (notification.Count > 1)
        {
            lines.Add(english ? $"Seen {notification.Count} times" : $"已出现 {notification.Count} 次");
        }

        if (notification.Evidence.Count > 0)
        {
            lines.Add((english ? "Evidence: " : "依据：")
                + string.Join(", ", notification.Evidence.Select(e => $"{e.Key} = {e.Value}")));
        }

        return lines;
    }

    public static string LinkLabel(NotificationLanguage language) =>
        language == NotificationLanguage.English ? "Open in the dashboard" : "在平台中查看";

    /// <summary>Title, lines and the link as plain text (e-mail, SMS, text messages).</summary>
    public string Plain(AlertNotification notification, NotificationLanguage language, bool withTitle = true)
    {
        var text = new StringBuilder();
        if (withTitle)
        {
            text.Append(Title(notification, language)).Append('\n');
        }

        foreach (var line in Lines(notification, language))
        {
            text.Append(line).Append('\n');
        }

        if (notification.Link is { } link)
        {
            text.Append(LinkLabel(language)).Append(": ").Append(link.AbsoluteUri).Append('\n');
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>Markdown as the WeChat Work and DingTalk robots render it: a heading, quoted details, a link.</summary>
    public string Markdown(AlertNotification notification, NotificationLanguage language)
    {
        var lines = Lines(notification, language);
        var text = new StringBuilder();
        text.Append("### ").Append(Title(notification, language)).Append("\n\n");
        text.Append(lines[0]).Append("\n\n");
        foreach (var line in lines.Skip(1))
        {
            text.Append("> ").Append(line).Append("\n\n");
        }

        if (notification.Link is { } link)
        {
            text.Append('[').Append(LinkLabel(language)).Append("](").Append(link.AbsoluteUri).Append(')');
        }

        return text.ToString().TrimEnd('\n');
    }

    private static string Where(AlertNotification notification) =>
        string.Join(" / ", new[] { notification.Site, notification.Building, notification.Unit }.Where(p => !string.IsNullOrEmpty(p)));

    private string LocalTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, timeZone).ToString("yyyy-MM-dd HH:mm:ss (UTCzzz)", CultureInfo.InvariantCulture);

    /// <summary>Cuts text to a byte budget of UTF-8 without splitting a character.</summary>
    public static string CutToBytes(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var ellipsis = "…";
        var budget = maxBytes - Encoding.UTF8.GetByteCount(ellipsis);
        var length = text.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > budget)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length] + ellipsis;
    }

    /// <summary>Cuts text to a number of characters, with an ellipsis, without splitting a surrogate pair.</summary>
    public static string CutToChars(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var length = maxChars - 1;
        if (char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length] + "…";
    }
}
