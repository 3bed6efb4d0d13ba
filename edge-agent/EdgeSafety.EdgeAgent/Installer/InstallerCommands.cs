using System.CommandLine;
using System.Globalization;
using EdgeSafety.Modbus;
using Microsoft.Extensions.Options;

namespace EdgeSafety.EdgeAgent.Installer;

/// <summary>
/// The agent's command line for installers on site: scan, read, check, validate, enrol. Any argument a command does not
/// know is a setting override, as for the service (e.g. --Agent:Buses:0:DevicePath=/dev/ttyUSB1).
/// </summary>
public static class InstallerCommands
{
    private static readonly string[] Names = ["scan", "read", "check", "validate", "enrol", "help", "--help", "-h", "-?"];

    public static bool IsInstallerCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("EdgeSafety edge agent. Without a command it runs as the service; these commands are for installers on site.")
        {
            ScanCommand(), ReadCommand(), CheckCommand(), ValidateCommand(), EnrolCommand(),
        };
        return root.Parse(args is ["help", .. var rest] ? ["--help", .. rest] : args).InvokeAsync();
    }

    private static Command ScanCommand()
    {
        var port = new Option<string>("--port") { Description = "Serial device to scan, e.g. /dev/ttyUSB0", Required = true };
        var baud = new Option<int[]>("--baud")
        {
            Description = "Baud rates to try",
            DefaultValueFactory = _ => [9600, 19200, 38400, 115200],
            AllowMultipleArgumentsPerToken = true,
        };
        var parity = new Option<SerialParity>("--parity") { Description = "Parity", DefaultValueFactory = _ => SerialParity.None };
        var units = new Option<string>("--units") { Description = "Unit ids to try, FIRST-LAST", DefaultValueFactory = _ => "1-247" };
        var timeout = new Option<int>("--timeout-ms") { Description = "Wait per unit id", DefaultValueFactory = _ => 100 };
        var command = new Command("scan", "Find which unit ids answer on a serial port, and at which baud rates. Stop the service first: one port, one master.")
        {
            port, baud, parity, units, timeout,
        };
        command.SetAction(result =>
        {
            var range = result.GetValue(units)!.Split('-');
            if (range.Length != 2 || !int.TryParse(range[0], CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(range[1], CultureInfo.InvariantCulture, out var last) || first < 1 || last > 247 || first > last)
            {
                Console.Error.WriteLine("--units must be FIRST-LAST within 1-247, e.g. 1-32");
                return 2;
            }

            return BusScan.Run(result.GetValue(port)!, result.GetValue(baud)!, result.GetValue(parity), first, last,
                TimeSpan.FromMilliseconds(result.GetValue(timeout)), Console.Out);
        });
        return command;
    }

    private static Command ReadCommand()
    {
        var device = new Argument<string>("device") { Description = "A device id from the configuration" };
        var once = new Option<bool>("--once") { Description = "Read once and exit instead of refreshing" };
        var interval = new Option<int>("--interval-ms") { Description = "Refresh interval", DefaultValueFactory = _ => 1000 };
        var command = new Command("read", "Show the live values of one configured device through its profile.") { device, once, interval };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => WithSiteAsync(result, site => LiveReadout.RunAsync(site, result.GetValue(device)!,
            result.GetValue(once), TimeSpan.FromMilliseconds(result.GetValue(interval)), Console.Out, cancellationToken)));
        return command;
    }

    private static Command CheckCommand()
    {
        var command = new Command("check", "Poll every configured device once and send a test message through the broker; print a pass/fail table.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, cancellationToken) => WithSiteAsync(result, site => InstallationCheck.RunAsync(site, Console.Out, cancellationToken)));
        return command;
    }

    private static Command ValidateCommand()
    {
        var command = new Command("validate", "Check the configuration, the device profiles and the store folder without starting anything.");
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((result, _) => WithSiteAsync(result, site =>
        {
            // Both checked before either is reported, so one run names every bad setting.
            var failures = new List<string>();
            var agent = Validated(() => site.Agent, failures);
            var store = Validated(() => site.Store, failures);
            if (agent is null || store is null)
            {
                throw new OptionsValidationException("settings", typeof(AgentOptions), failures);
            }

            Console.Out.WriteLine($"Configuration valid: site {agent.SiteId}, gateway {agent.GatewayId}, {agent.Buses.Count} serial bus(es), " +
                $"{agent.TcpEndpoints.Count} TCP endpoint(s), {agent.Devices.Count} device(s); store in {store.Directory}.");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command EnrolCommand()
    {
        // A string, checked here: the command line library has no converter for Uri and threw on every address.
        var server = new Option<string>("--server") { Description = "The dashboard, https://...", Required = true };
        var code = new Option<string>("--code") { Description = "The one-time enrolment code the installer's dashboard showed, e.g. ABCD-EFGH", Required = true };
        var ca = new Option<string?>("--ca") { Description = "PEM file of the CA the dashboard's certificate must chain to (default: the system's CAs)" };
        var directory = new Option<string>("--out")
        {
            Description = "Where to store the credentials (run as the service's user: the password file is readable by its owner only)",
            DefaultValueFactory = _ => "/etc/edgesafety/agent",
        };
        var command = new Command("enrol", "Redeem a one-time enrolment code for this gateway's own broker credentials, and store them.")
        {
            server, code, ca, directory,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var address = result.GetValue(server)!;
            if (!Uri.TryCreate(address, UriKind.Absolute, out var serverUri))
            {
                Console.Error.WriteLine($"--server '{address}' is not an absolute address such as https://dashboard.example.org");
                return Task.FromResult(2);
            }

            return Enrolment.RunAsync(serverUri, result.GetValue(code)!, result.GetValue(ca), result.GetValue(directory)!,
                Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    private static T? Validated<T>(Func<T> read, List<string> failures)
        where T : class
    {
        try
        {
            return read();
        }
        catch (OptionsValidationException ex)
        {
            failures.AddRange(ex.Failures);
            return null;
        }
    }

    /// <summary>Builds the service's configuration with the command's extra arguments as overrides; invalid settings end with exit code 2.</summary>
    private static async Task<int> WithSiteAsync(ParseResult result, Func<SiteContext, Task<int>> run)
    {
        try
        {
            using var site = SiteContext.Build(result.UnmatchedTokens);
            return await run(site);
        }
        catch (OptionsValidationException ex)
        {
            Console.Error.WriteLine("Invalid settings:");
            foreach (var failure in ex.Failures)
            {
                Console.Error.WriteLine($"  {failure}");
            }

            return 2;
        }
    }
}
