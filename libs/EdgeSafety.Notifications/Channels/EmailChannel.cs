using System.Net;
using System.Net.Mail;
using System.Text;

namespace EdgeSafety.Notifications;

/// <summary>
/// E-mail over SMTP with .NET's SmtpClient: plain text, UTF-8 subject (RFC 2047 encoded word) and body, STARTTLS
/// unless the settings say otherwise. SMTP 4xx replies and connection failures are transient, 5xx permanent.
/// </summary>
internal sealed class EmailChannel(EmailOptions options, MessageText texts) : INotificationChannel
{
    private readonly string? _password = NotificationOptions.ReadSecret(options.Password, options.PasswordFile);

    public NotificationChannel Channel => NotificationChannel.Email;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Host);

    public async Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification notification, CancellationToken cancellationToken)
    {
        MailAddress to;
        try
        {
            to = new MailAddress(target.Address);
        }
        catch (FormatException)
        {
            throw new InvalidTargetException("the e-mail address is not valid");
        }

        using var message = new MailMessage(new MailAddress(options.From!, options.FromName, Encoding.UTF8), to)
        {
            Subject = texts.Title(notification, target.Language),
            SubjectEncoding = Encoding.UTF8,
            Body = texts.Plain(notification, target.Language, withTitle: false),
            BodyEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            IsBodyHtml = false,
        };
        message.Headers.Add(WebhookChannel.NotificationIdHeader, notification.NotificationId);

        // SmtpClient is not safe for concurrent sends; one per message keeps deliveries independent.
        using var smtp = new SmtpClient(options.Host, options.Port)
        {
            EnableSsl = options.Security == SmtpSecurity.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(options.Username))
        {
            smtp.Credentials = new NetworkCredential(options.Username, _password);
        }

        try
        {
            await smtp.SendMailAsync(message, cancellationToken).ConfigureAwait(false);
            return DeliveryOutcomes.Delivered(250);
        }
        catch (SmtpException ex)
        {
            var code = (int)ex.StatusCode;
            var detail = $"SMTP {(code > 0 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "connection")}: {ex.Message}";
            // GeneralFailure (-1) is a failed connection; 4xx replies are the server's "try again later".
            return code is < 500
                ? DeliveryOutcomes.Transient(detail, code > 0 ? code : null)
                : DeliveryOutcomes.Permanent(detail, code);
        }
    }
}
