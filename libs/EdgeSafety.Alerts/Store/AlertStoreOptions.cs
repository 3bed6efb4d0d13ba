using System.ComponentModel.DataAnnotations;

namespace EdgeSafety.Alerts.Store;

public enum AlertStoreProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Section "Alerts:Store": which database holds alerts, the registry, work orders and deliveries.</summary>
public sealed class AlertStoreOptions : IValidatableObject
{
    public AlertStoreProvider Provider { get; set; } = AlertStoreProvider.Sqlite;

    /// <summary>The SQLite file; its folder is created. Only one machine may use it (SQLite over a network share corrupts).</summary>
    public string SqlitePath { get; set; } = "/var/lib/edgesafety/alerts.db";

    /// <summary>Npgsql connection string, e.g. Host=db;Database=edgesafety;Username=ingest (password from the environment).</summary>
    public string? PostgreSqlConnectionString { get; set; }

    /// <summary>How long a SQLite writer waits for another to finish before failing.</summary>
    [Range(100, 600_000)]
    public int BusyTimeoutMilliseconds { get; set; } = 10_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == AlertStoreProvider.Sqlite && string.IsNullOrWhiteSpace(SqlitePath))
        {
            yield return new ValidationResult("SqlitePath is required with the Sqlite provider.", [nameof(SqlitePath)]);
        }

        if (Provider == AlertStoreProvider.PostgreSql && string.IsNullOrWhiteSpace(PostgreSqlConnectionString))
        {
            yield return new ValidationResult("PostgreSqlConnectionString is required with the PostgreSql provider.", [nameof(PostgreSqlConnectionString)]);
        }
    }
}
