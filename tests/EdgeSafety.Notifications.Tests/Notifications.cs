using EdgeSafety.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeSafety.Notifications.Tests;

/// <summary>A sender built the way a service builds it: AddNotifications over configuration, validated settings.</summary>
internal sealed class TestSender : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public TestSender(ITestOutputHelper output, IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        Log = new RecordingLogger<NotificationSender>(output, LogLevel.Debug);
        _services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<ILogger<NotificationSender>>(Log)
            .AddNotifications()
            .BuildServiceProvider();
        Sender = _services.GetRequiredService<NotificationSender>();
    }

    public NotificationSender Sender { get; }

    public RecordingLogger<NotificationSender> Log { get; }

    public Task<DeliveryOutcome> SendAsync(NotificationTarget target, AlertNotification? notification = null) =>
        Sender.SendAsync(target, notification ?? Notifications.EbikeCharging(), CancellationToken.None);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>A sample alert as the alert engine would describe it.</summary>
internal static class Notifications
{
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
