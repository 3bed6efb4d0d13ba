using System.Text;
using System.Text.RegularExpressions;
using EdgeSafety.TestSupport;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

/// <summary>E-mail to a real SMTP server (Debian's aiosmtpd), read back from the Maildir it writes.</summary>
public sealed partial class EmailTests(ITestOutputHelper output)
{
    private static Dictionary<string, string?> Settings(int port) => new()
    {
        ["Notifications:Email:Host"] = "127.0.0.1",
        ["Notifications:Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Email:Security"] = "None",
        ["Notifications:Email:From"] = "alerts@edgesafety.example.org",
        ["Notifications:Email:FromName"] = "EdgeSafety 安全平台",
    };

    [Fact]
    public async Task Delivers_a_message_with_a_utf8_chinese_subject_and_body()
    {
        using var smtp = await SmtpSink.StartAsync();
        await using var sender = new TestSender(output, Settings(smtp.Port));

        var outcome = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Email, Address = "landlord@example.org" });

        outcome.Status.Should().Be(DeliveryStatus.Delivered, outcome.Detail);
        var message = smtp.Messages.Should().ContainSingle().Subject;
        Header(message, "X-RcptTo").Should().Be("landlord@example.org");
        Header(message, "X-MailFrom").Should().Be("alerts@edgesafety.example.org");
        DecodeWords(Header(message, "Subject")).Should().Be("电动车室内充电：3 栋 502 室");
        DecodeWords(Header(message, "From")).Should().Be("EdgeSafety 安全平台 <alerts@edgesafety.example.org>");
        Header(message, "X-EdgeSafety-Notification-Id").Should().Be("n-1");
        var body = Body(message);
        body.Should().Contain("检测到电动自行车电池正在室内充电");
        body.Should().Contain("地点：xinhua-village / 3 / 502");
        body.Should().Contain("在平台中查看: https://edgesafety.example.org/alerts/a-42");
    }

    [Fact]
    public async Task No_server_is_transient_and_a_malformed_address_is_permanent()
    {
        await using var sender = new TestSender(output, Settings(LoopbackPort.Next()));

        var down = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Email, Address = "landlord@example.org" });
        var malformed = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Email, Address = "not an address" });

        down.Status.Should().Be(DeliveryStatus.TransientFailure, down.Detail);
        malformed.Status.Should().Be(DeliveryStatus.PermanentFailure, malformed.Detail);
    }

    [Fact]
    public async Task Without_a_host_e_mail_is_off_and_fails_permanently()
    {
        await using var sender = new TestSender(output);

        var outcome = await sender.SendAsync(new NotificationTarget { Channel = NotificationChannel.Email, Address = "landlord@example.org" });

        sender.Sender.IsConfigured(NotificationChannel.Email).Should().BeFalse();
        outcome.Status.Should().Be(DeliveryStatus.PermanentFailure);
        outcome.Detail.Should().Contain("not configured");
    }

    /// <summary>A header's value, unfolded (RFC 5322 section 2.2.3).</summary>
    private static string Header(string message, string name)
    {
        var headers = message[..message.IndexOf("\n\n", StringComparison.Ordinal)].Replace("\r", "", StringComparison.Ordinal);
        var match = Regex.Match(headers, $"^{Regex.Escape(name)}: (.*(?:\n[ \t].*)*)", RegexOptions.Multiline | RegexOptions.IgnoreCase);
        match.Success.Should().BeTrue($"the message has a {name} header");
        return Regex.Replace(match.Groups[1].Value, "\n[ \t]", " ").Trim();
    }

    /// <summary>RFC 2047 encoded words (=?utf-8?B?...?= or =?utf-8?Q?...?=) decoded; whitespace between adjacent words dropped.</summary>
    private static string DecodeWords(string value)
    {
        value = Regex.Replace(value, @"\?=\s+=\?", "?==?");
        return EncodedWord().Replace(value, m =>
        {
            m.Groups["charset"].Value.Should().BeEquivalentTo("utf-8");
            var text = m.Groups["text"].Value;
            return m.Groups["encoding"].Value.ToUpperInvariant() == "B"
                ? Encoding.UTF8.GetString(Convert.FromBase64String(text))
                : DecodeQuotedPrintable(text.Replace('_', ' '));
        });
    }

    /// <summary>The body decoded by its Content-Transfer-Encoding.</summary>
    private static string Body(string message)
    {
        var body = message[(message.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        return Header(message, "Content-Transfer-Encoding").ToLowerInvariant() switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))))),
            "quoted-printable" => DecodeQuotedPrintable(Regex.Replace(body, "=\r?\n", "")),
            _ => body,
        };
    }

    private static string DecodeQuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<encoding>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();
}
