using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Influx.Tests;

public sealed class InfluxOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        new InfluxOptions().Invoking(o => o.ThrowIfInvalid()).Should().NotThrow();
    }

    [Fact]
    public void Invalid_options_stop_the_client_from_being_made()
    {
        using var http = new HttpClient();
        InfluxOptions[] invalid =
        [
            new() { Database = "" },
            new() { BaseAddress = new Uri("ftp://127.0.0.1/") },
            new() { BaseAddress = new Uri("relative", UriKind.Relative) },
            new() { Password = "secret" },
            new() { RetentionPolicy = null! },
        ];

        foreach (var options in invalid)
        {
            new Action(() => _ = new InfluxClient(http, options)).Should().Throw<ValidationException>();
        }
    }
}
