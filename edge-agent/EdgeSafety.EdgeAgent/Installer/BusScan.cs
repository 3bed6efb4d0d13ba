using System.Globalization;
using EdgeSafety.Modbus;

namespace EdgeSafety.EdgeAgent.Installer;

/// <summary>
/// Finds which unit ids answer on a serial port, at which baud rates. Any answer counts, an exception reply too
/// (the device is there, it just has nothing at register 0); a garbled answer at one baud rate hints that the
/// device is there at another rate or parity.
/// </summary>
public static class BusScan
{
    public static int Run(string port, IReadOnlyList<int> baudRates, SerialParity parity, int firstUnit, int lastUnit,
        TimeSpan timeout, TextWriter output)
    {
        var table = new TextTable("BAUD", "UNIT", "ANSWER");
        var found = 0;
        foreach (var baud in baudRates)
        {
            using var client = ModbusClient.ConnectRtu(new SerialLineSettings(port, baud, parity), timeout);
            for (var unit = firstUnit; unit <= lastUnit; unit++)
            {
                // Asked twice before it counts as absent: one lost frame on a long or noisy bus, or a device busy
                // with its own measurement, must not send the installer hunting for a wiring fault.
                var answer = Probe(client, (byte)unit) ?? Probe(client, (byte)unit);
                if (answer is not null)
                {
                    found++;
                    table.Add(baud.ToString(CultureInfo.InvariantCulture), unit.ToString(CultureInfo.InvariantCulture), answer);
                }
            }
        }

        output.WriteLine($"Scanned {port}, units {firstUnit}-{lastUnit}, at {string.Join(", ", baudRates)} baud ({parity} parity):");
        if (found == 0)
        {
            output.WriteLine("No device answered. Check the wiring (A/B swapped?), the termination and the device's baud rate and address.");
            return 1;
        }

        table.WriteTo(output);
        return 0;
    }

    private static string? Probe(ModbusClient client, byte unit)
    {
        Span<ushort> register = stackalloc ushort[1];
        try
        {
            client.ReadRegisters(unit, RegisterTable.Holding, 0, register);
            return "answers";
        }
        catch (ModbusException ex) when (ex.Kind == ModbusErrorKind.SlaveException)
        {
            return $"answers (exception {ex.SlaveExceptionCode} at holding register 0)";
        }
        catch (ModbusException ex) when (ex.Kind is ModbusErrorKind.BadCrc or ModbusErrorKind.InvalidResponse)
        {
            return "garbled answer: another baud rate or parity?";
        }
        catch (ModbusException ex) when (ex.Kind == ModbusErrorKind.Timeout)
        {
            return null;
        }
    }
}
