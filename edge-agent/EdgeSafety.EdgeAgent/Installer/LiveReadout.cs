using System.Globalization;
using EdgeSafety.Devices;
using EdgeSafety.Modbus;

namespace EdgeSafety.EdgeAgent.Installer;

/// <summary>Live values of one configured device through its profile, refreshed in place until Ctrl-C.</summary>
public static class LiveReadout
{
    public static async Task<int> RunAsync(SiteContext site, string deviceId, bool once, TimeSpan interval, TextWriter output,
        CancellationToken cancellationToken)
    {
        var agent = site.Agent;
        var device = agent.Devices.FirstOrDefault(d => d.Id == deviceId);
        if (device is null)
        {
            output.WriteLine($"No device '{deviceId}' in the configuration; configured: {string.Join(", ", agent.Devices.Select(d => d.Id))}.");
            return 2;
        }

        var bus = agent.AllBuses().Single(b => b.Name == device.Bus);
        var profile = site.Services.GetRequiredService<DeviceProfiles>()[device.Profile];
        var plan = ReadPlan.For(profile);
        using var client = bus.Open();
        var inPlace = !once && !Console.IsOutputRedirected;
        var linesWritten = 0;
        do
        {
            var lines = Render(client, device, bus, profile, plan);
            if (inPlace && linesWritten > 0)
            {
                // Move the cursor back up over the previous readout and overwrite it.
                output.Write($"\u001b[{linesWritten}A");
            }

            foreach (var line in lines)
            {
                output.WriteLine(inPlace ? line + "\u001b[K" : line);
            }

            linesWritten = lines.Count;
            if (once)
            {
                return lines[0].Contains("FAIL", StringComparison.Ordinal) ? 1 : 0;
            }

            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        }
        while (true);
    }

    private static List<string> Render(ModbusClient client, DeviceOptions device, ModbusBus bus, DeviceProfile profile, IReadOnlyList<RegisterBlock> plan)
    {
        var header = string.Create(CultureInfo.InvariantCulture,
            $"{device.Id} ({profile.Model}) on {bus.Where} unit {device.UnitId} at {DateTimeOffset.Now:HH:mm:ss}");
        try
        {
            var values = DeviceReader.Read(client, (byte)device.UnitId, plan);
            var table = new TextTable("VALUE", "READING", "UNIT");
            foreach (var value in profile.Values)
            {
                table.Add(value.Name, values[value.Name].ToString("0.###", CultureInfo.InvariantCulture), value.Unit);
            }

            using var text = new StringWriter(CultureInfo.InvariantCulture);
            table.WriteTo(text);
            return [header, .. text.ToString().TrimEnd().Split(Environment.NewLine)];
        }
        catch (ModbusException ex)
        {
            return [$"{header}: FAIL {ex.Message}"];
        }
    }
}
