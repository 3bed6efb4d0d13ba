using System.Net;
using EdgeSafety.Contracts;
using EdgeSafety.Mqtt;

namespace EdgeSafety.Dashboard.Tests;

/// <summary>
/// The dashboard's operational figures, as a Prometheus scraper sees them: /metrics and /healthz answer without a
/// sign-in, and count what came in from the broker and what was refused.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class MetricsTests(DashboardFixture fixture) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseAddress };

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Metrics_count_the_readings_received_and_refused_and_health_answers_without_a_sign_in()
    {
        var metrics = new Uri(fixture.Server.BaseAddress, "metrics");
        var received = await PrometheusText.ReadAsync(_http, metrics, "dashboard_messages_received_total");
        var refused = await PrometheusText.ReadAsync(_http, metrics, "dashboard_messages_rejected_total{reason=\"not_json\"}");

        await fixture.PublishReadingAsync("haizhu-demo", "gw-01", "meter-metrics", 120, seq: 1);
        await fixture.Publisher.PublishAsync(Topics.Readings("haizhu-demo", "gw-01", "meter-metrics"), "{not json"u8.ToArray(), MqttQos.AtLeastOnce);

        await Eventually.SucceedsAsync(async () =>
        {
            (await PrometheusText.ReadAsync(_http, metrics, "dashboard_messages_received_total")).Should().BeGreaterThanOrEqualTo(received + 2);
            (await PrometheusText.ReadAsync(_http, metrics, "dashboard_messages_rejected_total{reason=\"not_json\"}")).Should().BeGreaterThanOrEqualTo(refused + 1);
        }, Bound, "the reading and the refused message counted");
        (await PrometheusText.ReadAsync(_http, metrics, "mqtt_connected")).Should().Be(1);

        using var health = await _http.GetAsync(new Uri("healthz", UriKind.Relative));
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        (await health.Content.ReadAsStringAsync()).Should().Be("ok");
    }
}
