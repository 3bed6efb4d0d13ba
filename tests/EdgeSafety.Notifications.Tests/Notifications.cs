using EdgeSafety.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

/// <summary>A sender built the way a service builds it (AddNotifications over configuration), and a sample alert.</summary>
internal static class Notifications
{
    public static (ServiceProvider Services, NotificationSender Sender, RecordingLogger<NotificationSender> Log) CreateSender(
        ITestOutputHelper output, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var log = new RecordingLogger<NotificationSender>(output, LogLevel.Debug);
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<ILogger<NotificationSender>>(log)
            .AddNotifications()
            .BuildServiceProvider();
        return (services, services.GetRequiredService<NotificationSender>(), log);
    }

    public static AlertNotification EbikeCharging(string id = "n-1") => new()
    {
        NotificationId = id,
        AlertId = "a-42",
        Kind = "ebike-charging",
        Severity = "critical",
        State = "raised",
        Title = new LocalizedText("电动车室内充电：3 栋 502 室", "E-bike charging indoors: building 3, unit 502"),
        Body = new LocalizedText("检测到电动自行车电池正在室内充电，请立即联系租户停止充电。",
            "An e-bike battery is charging indoors. Ask the tenant to stop charging now."),
        Site = "xinhua-village",
        Building = "3",
        Unit = "502",
        Device = "meter-7",
        RaisedAt = new DateTimeOffset(2025, 11, 3, 14, 5, 9, 120, TimeSpan.Zero),
        Count = 2,
        Evidence = new Dictionary<string, string> { ["power_w"] = "187.5", ["confidence"] = "0.97" },
        Link = new Uri("https://edgesafety.example.org/alerts/a-42"),
    };
}
