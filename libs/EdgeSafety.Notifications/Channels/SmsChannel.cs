using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeSafety.Notifications;

/// <summary>
/// SMS through whatever HTTP gateway the installation uses: the method, URL, headers and body come from a
/// template in the settings, with {phone}, {text} and {apiKey} filled in and escaped for where they stand
/// (URL-encoded in the URL and in form bodies, JSON-escaped in JSON bodies). A 2xx reply counts as sent, or only
/// one containing <see cref="SmsOptions.SuccessBodyContains"/> when that is set.
/// </summary>
internal sealed class SmsChannel(Func<HttpClient> http, SmsOptions options, MessageText texts) : INotificationChannel
{
    private readonly string? _apiKey = NotificationOptions.ReadSecret(options.ApiKey, options.ApiKeyFile);

    public NotificationChannel Channel => NotificationChannel.Sms;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Url);

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken)
    {
        var phone = target.Address.Trim();
        if (phone.Length is < 3 or > 20 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or ' '))
        {
            throw new InvalidTargetException("the phone number has characters other than digits, +, - and spaces");
        }

        var text = MessageText.CutToChars(texts.Plain(notification, target.Language), options.MaxTextLength);
        using var request = Build(phone, text);
        using var response = await http().SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return await DeliveryOutcomes.FromFailedResponseAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var reply = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return options.SuccessBodyContains is { Length: > 0 } expected && !reply.Contains(expected, StringComparison.Ordinal)
            ? DeliveryOutcomes.Permanent($"gateway refused: {DeliveryOutcomes.Shorten(reply)}", (int)response.StatusCode)
            : DeliveryOutcomes.Delivered((int)response.StatusCode);
    }

    /// <summary>The gateway request for one message; internal so tests can check the filled template.</summary>
    internal HttpRequestMessage Build(string phone, string text)
    {
        var url = Fill(options.Url!, phone, text, Uri.EscapeDataString);
        var request = new HttpRequestMessage(new HttpMethod(options.Method), url);
        foreach (var (name, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, Fill(value, phone, text, v => v));
        }

        if (options.Method != "GET" && options.BodyTemplate is { } template)
        {
            var mediaType = options.ContentType.Split(';')[0].Trim();
            Func<string, string> escape = mediaType switch
            {
                "application/json" => JsonEscape,
                "application/x-www-form-urlencoded" => Uri.EscapeDataString,
                _ => v => v,
            };
            request.Content = new StringContent(Fill(template, phone, text, escape), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType) { CharSet = "utf-8" };
        }

        return request;
    }

    private string Fill(string template, string phone, string text, Func<string, string> escape) =>
        template
            .Replace("{phone}", escape(phone), StringComparison.Ordinal)
            .Replace("{text}", escape(text), StringComparison.Ordinal)
            .Replace("{apiKey}", escape(_apiKey ?? ""), StringComparison.Ordinal);

    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A string's JSON escaping without its quotes: templates put the quotes where they want them.</summary>
    private static string JsonEscape(string value)
    {
        var quoted = JsonSerializer.Serialize(value, RelaxedJson);
        return quoted[1..^1];
    }
}
