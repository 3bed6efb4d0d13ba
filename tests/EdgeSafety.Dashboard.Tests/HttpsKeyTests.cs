namespace EdgeSafety.Dashboard.Tests;

/// <summary>The dashboard's HTTPS private key is a secret file like the others: owner-only, or the dashboard does not start.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HttpsKeyTests : IDisposable
{
    private readonly TestCertificates _pki = TestCertificates.Create();

    public void Dispose() => _pki.Dispose();

    [Theory]
    [InlineData("Kestrel:Certificates:Default")]
    [InlineData("Kestrel:Endpoints:Https:Certificate")]
    public async Task A_key_file_others_may_read_stops_the_dashboard_at_start_naming_the_setting_and_the_file(string certificate)
    {
        File.SetUnixFileMode(_pki.ServerKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var port = LoopbackPort.Next();

        using var dashboard = ServiceProcess.Start("EdgeSafety.Dashboard", port,
            $"--Kestrel:Endpoints:Https:Url=https://127.0.0.1:{LoopbackPort.Next()}",
            $"--{certificate}:Path={_pki.ServerCertFile}", $"--{certificate}:KeyPath={_pki.ServerKeyFile}");

        (await dashboard.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().Be(2, dashboard.Output);
        dashboard.Output.Should().Contain(
            $"{certificate}:KeyPath: Secret file '{_pki.ServerKeyFile}' is readable or writable by others than its owner; make it owner-only: chmod 600 '{_pki.ServerKeyFile}'.");
    }
}
