using EdgeSafety.Mqtt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EdgeSafety.ServiceDefaults;

/// <summary>
/// The private key files a service's HTTPS settings name, by setting: for each certificate of Kestrel:Certificates and
/// of Kestrel:Endpoints:{name}:Certificate, its KeyPath, or its Path when it has no KeyPath (a .pfx, or a PEM holding
/// the key too). Validated when the service starts as every secret file is (<see cref="SecretFile"/>): a key its group
/// or others may read stops the service, naming the setting and the file, instead of being served with.
/// </summary>
internal sealed class HttpsKeyFiles
{
    public List<(string Setting, string Path)> Files { get; } = [];

    /// <summary>Kestrel reads a relative path from the content root: so is it checked.</summary>
    public void Collect(IConfiguration configuration, string contentRoot)
    {
        var kestrel = configuration.GetSection("Kestrel");
        var certificates = kestrel.GetSection("Certificates").GetChildren()
            .Concat(kestrel.GetSection("Endpoints").GetChildren().Select(endpoint => endpoint.GetSection("Certificate")));
        foreach (var certificate in certificates)
        {
            var keyPath = certificate.GetSection("KeyPath");
            var holder = string.IsNullOrEmpty(keyPath.Value) ? certificate.GetSection("Path") : keyPath;
            if (holder.Value is { Length: > 0 } path)
            {
                Files.Add((holder.Path, Path.Combine(contentRoot, path)));
            }
        }
    }

    public sealed class Validation : IValidateOptions<HttpsKeyFiles>
    {
        public ValidateOptionsResult Validate(string? name, HttpsKeyFiles options)
        {
            List<string> failures = [.. options.Files.Select(file => SecretFile.Problem(file.Path) is { } problem ? $"{file.Setting}: {problem}" : null).OfType<string>()];
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
