using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EdgeSafety.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// One-line, timestamped console logs (journald and the demo's terminal read them), the metrics registry, and the
    /// start-up check of the HTTPS private key files (<see cref="HttpsKeyFiles"/>).
    /// </summary>
    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
            options.UseUtcTimestamp = true;
        });
        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddHealthChecks();
        builder.Services.AddOptions<HttpsKeyFiles>().Configure(files => files.Collect(builder.Configuration, builder.Environment.ContentRootPath))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HttpsKeyFiles>, HttpsKeyFiles.Validation>();
        return builder;
    }

    /// <summary>
    /// Binds options of type T from the configuration section of the same name, once, and validates them when
    /// the host starts: a wrong setting stops the service at start with the setting's name, not at 3 a.m.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string? section = null)
        where T : class
    {
        section ??= typeof(T).Name;
        return services.AddOptions<T>().BindConfiguration(section).WithValidationOnStart(section);
    }

    /// <summary>
    /// As <see cref="AddValidatedOptions{T}(IServiceCollection, string?)"/>, for options filled by
    /// <paramref name="configure"/> instead of bound from the service's configuration (another file, say); failures
    /// are named as if the options were the configuration section <paramref name="section"/>.
    /// </summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section, Action<T> configure)
        where T : class =>
        services.AddOptions<T>().Configure(configure).WithValidationOnStart(section);

    private static OptionsBuilder<T> WithValidationOnStart<T>(this OptionsBuilder<T> builder, string section)
        where T : class
    {
        builder.ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<T>>(new RecursiveDataAnnotationsValidation<T>(builder.Name, section));
        return builder;
    }

    /// <summary>
    /// Runs the service until it is stopped. Settings that fail validation end it at once with exit code 2 and
    /// one line per bad setting, instead of a stack trace an operator has to read through.
    /// </summary>
    public static int RunService(this WebApplication app)
    {
        // Read before running: once the host has failed, its services are disposed.
        var service = app.Environment.ApplicationName;
        try
        {
            app.Run();
            return 0;
        }
        catch (Exception ex) when (ValidationFailures(ex) is { } failures)
        {
            Console.Error.WriteLine($"{service}: invalid settings, not starting:");
            foreach (var failure in failures)
            {
                Console.Error.WriteLine($"  {failure}");
            }

            return 2;
        }
    }

    /// <summary>
    /// Every failure, when the exception is settings validation (several options types fail as an AggregateException)
    /// or a value the configuration binder could not convert (its message names the setting); else null.
    /// </summary>
    private static List<string>? ValidationFailures(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        InvalidOperationException unconvertible when unconvertible.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal)
            => [unconvertible.Message],
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. all.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
        _ => null,
    };

    /// <summary>
    /// /healthz: "ok" (200) while every registered health check passes, else 503 with one line per failing check (a
    /// service registers checks for what the process answering does not prove, such as a stuck writer); /metrics
    /// (Prometheus text).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.Use(RefuseUnknownCharsetAsync);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        app.MapGet("/metrics", (ServiceMetrics metrics) =>
            Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4; charset=utf-8"));
        return app;
    }

    /// <summary>
    /// A body whose Content-Type names a charset .NET has no encoding for is refused with 415: ASP.NET Core's JSON body
    /// binding throws on it, which answered 500 (found by fuzzing, docs/fuzzing.md).
    /// </summary>
    private static Task RefuseUnknownCharsetAsync(HttpContext context, RequestDelegate next)
    {
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) && type.Charset.HasValue && type.Encoding is null)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var text = report.Status == HealthStatus.Healthy
            ? "ok"
            : string.Join('\n', report.Entries
                .Where(entry => entry.Value.Status != HealthStatus.Healthy)
                .Select(entry => $"{entry.Key}: {entry.Value.Status}: {entry.Value.Description}"));
        return context.Response.WriteAsync(text);
    }

    /// <summary>
    /// DataAnnotations validation that also walks nested option objects and lists (the stock validator only
    /// checks the top level), reporting each failure with its full path, such as Buses[1].BaudRate.
    /// </summary>
    private sealed class RecursiveDataAnnotationsValidation<T>(string? name, string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (name is not null && name != optionsName)
            {
                return ValidateOptionsResult.Skip;
            }

            var failures = new List<string>();
            Walk(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void Walk(object instance, string path, List<string> failures)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
            failures.AddRange(results.Select(r => $"{path}.{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));

            foreach (var property in instance.GetType().GetProperties())
            {
                if (property.GetIndexParameters().Length > 0 || property.PropertyType == typeof(string) || property.PropertyType.IsValueType)
                {
                    continue;
                }

                var value = property.GetValue(instance);
                if (value is System.Collections.IEnumerable items and not System.Collections.IDictionary)
                {
                    var index = 0;
                    foreach (var item in items)
                    {
                        if (item is not null && item is not string && !item.GetType().IsValueType)
                        {
                            Walk(item, $"{path}.{property.Name}[{index}]", failures);
                        }

                        index++;
                    }
                }
                else if (value is not null && value.GetType().IsClass && value is not Uri && value.GetType().Namespace?.StartsWith("System", StringComparison.Ordinal) != true)
                {
                    Walk(value, $"{path}.{property.Name}", failures);
                }
            }
        }
    }
}
