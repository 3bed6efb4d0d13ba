using EdgeSafety.TestSupport;

namespace EdgeSafety.Ingest.Tests;

/// <summary>What a build leaves beside ingest of the charging models: the committed ones (analytics/models), and only them.</summary>
public sealed class ChargingModelsOutputTests
{
    [Fact]
    public async Task A_model_no_longer_in_analytics_models_is_removed_from_ingest_s_output_when_it_is_built()
    {
        var models = Path.Combine(ServiceProcess.OutputDirectory("EdgeSafety.Ingest"), "models");
        var retired = Path.Combine(models, "ebike-retired.json");
        await File.WriteAllTextAsync(retired, "{}");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name == "debug" ? "Debug" : "Release";

        // The build's copy step alone (no compilation): the step that puts the models in place.
        using var build = ExternalProcess.Start("msbuild", "dotnet",
        [
            "msbuild", RepositoryPaths.File("ingest", "EdgeSafety.Ingest", "EdgeSafety.Ingest.csproj"), "-t:CopyFilesToOutputDirectory",
            $"-p:Configuration={configuration}", "-nologo", "-v:q",
        ]);

        (await build.WaitForExitAsync(TimeSpan.FromMinutes(3))).Should().Be(0, build.Output);
        Directory.GetFiles(models).Select(Path.GetFileName).Should()
            .BeEquivalentTo(Directory.GetFiles(RepositoryPaths.File("analytics", "models"), "*.json").Select(Path.GetFileName));
    }
}
