using System.ComponentModel.DataAnnotations;
using EdgeSafety.Mqtt;
using EdgeSafety.TestSupport;

namespace EdgeSafety.Provisioning.Tests;

/// <summary>A gateway's password file: written owner-only, read by the MQTT settings, refused when others may read it.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretFileTests(SecuredBroker secured, ITestOutputHelper output) : IClassFixture<SecuredBroker>
{
    private static readonly string UserA = BrokerRoles.GatewayUsername(SecuredBroker.Site, SecuredBroker.GatewayA);

    [Fact]
    public async Task A_password_file_is_written_0600_and_connects_the_gateway()
    {
        using var directory = new TemporaryDirectory("secrets");
        var path = directory.Combine("mqtt-password");
        SecretFile.Write(path, secured.PasswordOf(UserA));
        await using var clients = new Clients(output);
        var options = secured.Options(UserA);
        (options.Password, options.PasswordFile) = (null, path);

        File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await File.ReadAllBytesAsync(path)).Should().Equal(System.Text.Encoding.ASCII.GetBytes(secured.PasswordOf(UserA) + "\n"),
            "the password and a line break, nothing else, so that `cat` gives it to other tools");
        var client = await clients.ConnectAsync(options);

        client.IsConnected.Should().BeTrue();
        clients.ShouldHaveLoggedNoErrors();
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupRead)]
    public void A_password_file_others_may_read_is_refused_with_the_command_that_fixes_it(UnixFileMode mode)
    {
        using var directory = new TemporaryDirectory("secrets");
        var path = directory.Combine("mqtt-password");
        SecretFile.Write(path, secured.PasswordOf(UserA));
        File.SetUnixFileMode(path, mode);
        var options = secured.Options(UserA);
        (options.Password, options.PasswordFile) = (null, path);

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true).Should().BeFalse();

        results.Should().ContainSingle().Which.ErrorMessage.Should().Contain(path).And.Contain("chmod 600");
        FluentActions.Invoking(() => SecretFile.Read(path)).Should().Throw<SecretFileException>();
    }
}
