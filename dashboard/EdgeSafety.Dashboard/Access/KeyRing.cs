using System.ComponentModel.DataAnnotations;
using EdgeSafety.Mqtt;

namespace EdgeSafety.Dashboard.Access;

/// <summary>
/// The data-protection key ring's folder (<see cref="DashboardOptions.KeyRingPath"/>), checked when the dashboard
/// starts like every secret file: a folder or key its group or others may read, or put keys in, would let them forge
/// sessions and antiforgery tokens, so it stops the dashboard, naming Dashboard:StorePath and the fix. Kept apart from
/// <see cref="DashboardOptions"/>, which the web host reads while it is built, before start-up checks can report.
/// </summary>
public sealed class KeyRing : IValidatableObject
{
    public string Folder { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var problems = new[] { SecretFile.FolderProblem(Folder) }
            .Concat(Directory.Exists(Folder) ? Directory.EnumerateFiles(Folder).Select(SecretFile.Problem) : []);
        foreach (var problem in problems.OfType<string>())
        {
            yield return new ValidationResult($"the session key ring beside it: {problem}", [nameof(DashboardOptions.StorePath)]);
        }
    }
}
