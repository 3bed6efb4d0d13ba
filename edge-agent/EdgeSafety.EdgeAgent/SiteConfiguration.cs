using System.Text;
using System.Text.Json;
using EdgeSafety.Storage;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// The site configuration the agent runs (the "Agent" section), and how it changes without a restart. With the setting
/// <see cref="FileSetting"/> the section comes from that JSON file alone (a document <c>{ "Agent": { ... } }</c>), which
/// is watched: a valid change is applied at once, an invalid one is logged and the running configuration kept. The
/// platform's "config" command applies a new document through <see cref="ApplyAsync"/>.
/// </summary>
/// <remarks>
/// Changes go through one lock, validated by the same validators as at start. The site and gateway ids name every topic
/// the agent publishes on, so they change only with a restart. Applying stops the pollers of the buses whose settings
/// or devices changed and starts the new ones; the others keep polling, and the disk store and every device's
/// sequence numbers are untouched.
/// </remarks>
public sealed partial class SiteConfiguration : IDisposable
{
    /// <summary>The setting naming the site configuration file, e.g. /etc/edgesafety/agent/site.json.</summary>
    public const string FileSetting = "SiteConfigurationFile";

    /// <summary>Editors write a file in several steps: read it once they have settled.</summary>
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(250);

    private readonly IEnumerable<IValidateOptions<AgentOptions>> _validators;
    private readonly ILogger<SiteConfiguration> _logger;
    private readonly SemaphoreSlim _changing = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private PhysicalFileProvider? _folder;
    private IDisposable? _watching;
    private Func<AgentOptions, CancellationToken, Task>? _run;

    public SiteConfiguration(IOptions<AgentOptions> options, IEnumerable<IValidateOptions<AgentOptions>> validators,
        IConfiguration configuration, ILogger<SiteConfiguration> logger)
    {
        _validators = validators;
        _logger = logger;
        FilePath = FilePathFrom(configuration);
        Current = options.Value;
    }

    /// <summary>The site configuration file (full path), or null when the Agent section comes from appsettings.json.</summary>
    public string? FilePath { get; }

    /// <summary>The configuration the agent runs now.</summary>
    public AgentOptions Current { get; private set; }

    /// <summary>The full path the setting names, or null when it is not set.</summary>
    public static string? FilePathFrom(IConfiguration configuration) =>
        configuration[FileSetting] is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>
    /// Fills options from a site configuration document's "Agent" section, bound exactly as appsettings.json is;
    /// returns why the document cannot be read, or null.
    /// </summary>
    public static string? TryBind(byte[] document, AgentOptions options)
    {
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonStream(new MemoryStream(document)).Build();
        }
        // InvalidOperationException: a string that is not valid UTF-8, or an escaped surrogate without its pair.
        catch (Exception ex) when (ex is FormatException or InvalidDataException or JsonException or InvalidOperationException)
        {
            return $"not valid JSON: {ex.InnerException?.Message ?? ex.Message}";
        }

        var section = root.GetSection("Agent");
        if (!section.Exists())
        {
            return "the document has no \"Agent\" section";
        }

        try
        {
            section.Bind(options);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the type: "Failed to convert configuration value at 'Agent:Devices:0:UnitId' ...".
            return ex.Message;
        }
    }

    /// <summary>
    /// Validates <paramref name="json"/> (a site configuration document, as the file holds), writes it to the file
    /// atomically and returns once the agent polls with it. Returns the errors, one per bad setting and nothing
    /// changed, or an empty list when the configuration is applied (or was already running).
    /// </summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(string json, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (FilePath is null)
        {
            return [$"{FileSetting}: not set, so this agent takes its configuration from appsettings.json and cannot change it while running"];
        }

        var document = Encoding.UTF8.GetBytes(json);
        await _changing.WaitAsync(cancellationToken);
        try
        {
            var (candidate, errors) = Check(document);
            if (errors.Count > 0)
            {
                return errors;
            }

            AtomicFile.Replace(FilePath, document);
            await RunLockedAsync(candidate!, "the config command", cancellationToken);
            return [];
        }
        finally
        {
            _changing.Release();
        }
    }

    /// <summary>As <see cref="ApplyAsync"/>, blocking the calling thread until done: never call it on the MQTT network thread.</summary>
    public bool TryApply(string json, out IReadOnlyList<string> errors)
    {
        errors = ApplyAsync(json, CancellationToken.None).GetAwaiter().GetResult();
        return errors.Count == 0;
    }

    /// <summary>
    /// For the poller as it starts: returns the configuration to run now, and from then on calls
    /// <paramref name="run"/> with every valid change (one at a time), which completes once the change runs.
    /// </summary>
    public AgentOptions Follow(Func<AgentOptions, CancellationToken, Task> run)
    {
        _changing.Wait();
        try
        {
            _run = run;
            if (FilePath is not null && _folder is null)
            {
                _folder = new PhysicalFileProvider(Path.GetDirectoryName(FilePath)!);
                _watching = ChangeToken.OnChange(() => _folder.Watch(Path.GetFileName(FilePath)), () => _ = ReloadAsync());
            }

            return Current;
        }
        finally
        {
            _changing.Release();
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _watching?.Dispose();
        _folder?.Dispose();
        _disposed.Dispose();
    }

    /// <summary>The file changed: apply it if it is valid and differs from what runs; log why not otherwise.</summary>
    private async Task ReloadAsync()
    {
        var stopping = _disposed.Token;
        try
        {
            await Task.Delay(SettleDelay, stopping);
            await _changing.WaitAsync(stopping);
            try
            {
                byte[] document;
                try
                {
                    document = await File.ReadAllBytesAsync(FilePath!, stopping);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogRefused(FilePath!, $"{FileSetting}: cannot read {FilePath}: {ex.Message}");
                    return;
                }

                var (candidate, errors) = Check(document);
                foreach (var error in errors)
                {
                    LogRefused(FilePath!, error);
                }

                if (errors.Count == 0)
                {
                    await RunLockedAsync(candidate!, FilePath!, stopping);
                }
            }
            finally
            {
                _changing.Release();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The agent is stopping.
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the change and the reload.
        }
    }

    /// <summary>The candidate configuration and every reason to refuse it (none: it may run).</summary>
    private (AgentOptions? Candidate, List<string> Errors) Check(byte[] document)
    {
        var candidate = new AgentOptions();
        if (TryBind(document, candidate) is { } unreadable)
        {
            return (null, [$"{FileSetting}: {unreadable}"]);
        }

        var errors = _validators.Select(v => v.Validate(Options.DefaultName, candidate))
            .Where(result => result.Failed)
            .SelectMany(result => result.Failures ?? [])
            .ToList();
        if (candidate.SiteId != Current.SiteId)
        {
            errors.Add($"Agent.SiteId: '{candidate.SiteId}' differs from the running '{Current.SiteId}'; the site id changes only with a restart");
        }

        if (candidate.GatewayId != Current.GatewayId)
        {
            errors.Add($"Agent.GatewayId: '{candidate.GatewayId}' differs from the running '{Current.GatewayId}'; the gateway id changes only with a restart");
        }

        return (candidate, errors);
    }

    private async Task RunLockedAsync(AgentOptions candidate, string source, CancellationToken cancellationToken)
    {
        if (JsonSerializer.Serialize(candidate) == JsonSerializer.Serialize(Current))
        {
            return;
        }

        if (_run is { } run)
        {
            await run(candidate, cancellationToken);
        }

        Current = candidate;
        LogApplied(source, candidate.Buses.Count, candidate.TcpEndpoints.Count, candidate.Devices.Count);
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information,
        Message = "Site configuration from {Source} applied: {Buses} serial bus(es), {Endpoints} TCP endpoint(s), {Devices} device(s)")]
    private partial void LogApplied(string source, int buses, int endpoints, int devices);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Error,
        Message = "Site configuration file {Path} not applied, the running configuration is kept: {Error}")]
    private partial void LogRefused(string path, string error);
}
