namespace EdgeSafety.Modbus;

public enum SerialParity
{
    None,
    Even,
    Odd,
}

/// <summary>How a serial line is set up. A pty (tests, simulators) ignores all but the path.</summary>
public sealed record SerialLineSettings(
    string DevicePath,
    int BaudRate = 9600,
    SerialParity Parity = SerialParity.None,
    int DataBits = 8,
    int StopBits = 1)
{
    /// <summary>The parity argument of modbus_new_rtu: 'N', 'E' or 'O' (modbus-rtu.h, modbus_new_rtu(3)).</summary>
    internal byte ParityCharacter => Parity switch
    {
        SerialParity.None => (byte)'N',
        SerialParity.Even => (byte)'E',
        SerialParity.Odd => (byte)'O',
        _ => throw new ArgumentOutOfRangeException(nameof(Parity), Parity, "Unknown parity."),
    };

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DevicePath);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BaudRate);
        if (DataBits is < 5 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(DataBits), DataBits, "Data bits must be 5 to 8.");
        }

        if (StopBits is < 1 or > 2)
        {
            throw new ArgumentOutOfRangeException(nameof(StopBits), StopBits, "Stop bits must be 1 or 2.");
        }

        _ = ParityCharacter;
    }
}

public enum RegisterTable
{
    Holding,
    Input,
}
