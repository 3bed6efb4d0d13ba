using EdgeSafety.Storage;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent;

/// <summary>
/// The store folder must be writable before the agent polls anything: otherwise every reading would be lost. Checked
/// at start (and by `validate`) by creating the folder and a scratch file in it, so a wrong owner or a read-only
/// mount is an exit code 2 naming the folder instead of a crash.
/// </summary>
public sealed class StoreDirectoryValidation : IValidateOptions<RecordStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Skip; // the Required attribute names it
        }

        try
        {
            Directory.CreateDirectory(options.Directory);
            using var probe = new FileStream(Path.Combine(options.Directory, $".write-test-{Environment.ProcessId}"),
                FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"Store.Directory: cannot write to {options.Directory}: {ex.Message}");
        }
    }
}
