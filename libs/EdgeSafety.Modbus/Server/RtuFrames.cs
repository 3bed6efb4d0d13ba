using EdgeSafety.Modbus.Native;

namespace EdgeSafety.Modbus.Server;

/// <summary>Modbus RTU request framing (Modbus over Serial Line V1.02, 2.5.1) and its CRC-16.</summary>
internal static class RtuFrames
{
    /// <summary>Unit id + function code + CRC: no valid frame is shorter.</summary>
    public const int MinimumLength = 4;

    /// <summary>
    /// The total length of the request that starts with <paramref name="received"/>, as far as the bytes so far tell:
    /// the length up to the next field that decides it while that field has not arrived, the whole request's length
    /// once it has, or null for a function code whose request length is not known here (it ends at a silence).
    /// </summary>
    public static int? RequestLength(ReadOnlySpan<byte> received)
    {
        if (received.Length < 2)
        {
            return 2;
        }

        return received[1] switch
        {
            // unit, function, address (2), count or value (2), CRC (2); FC 0x08 diagnostics: sub-function (2), data (2)
            LibModbus.FcReadCoils or LibModbus.FcReadDiscreteInputs or LibModbus.FcReadHoldingRegisters
                or LibModbus.FcReadInputRegisters or LibModbus.FcWriteSingleCoil or LibModbus.FcWriteSingleRegister
                or 0x08 => 8,
            // unit, function, CRC (2): read exception status, get comm event counter/log, report slave id
            LibModbus.FcReadExceptionStatus or 0x0B or 0x0C or LibModbus.FcReportSlaveId => 4,
            // unit, function, address (2), count (2), byte count, data, CRC (2)
            LibModbus.FcWriteMultipleCoils or LibModbus.FcWriteMultipleRegisters =>
                received.Length < 7 ? 7 : 9 + received[6],
            // unit, function, address (2), AND mask (2), OR mask (2), CRC (2)
            LibModbus.FcMaskWriteRegister => 10,
            // unit, function, read address (2), read count (2), write address (2), write count (2), byte count, data, CRC
            LibModbus.FcWriteAndReadRegisters => received.Length < 11 ? 11 : 13 + received[10],
            _ => null,
        };
    }

    /// <summary>A whole request: as long as its function code says (if known), with a matching CRC.</summary>
    public static bool IsValidRequest(ReadOnlySpan<byte> frame) =>
        frame.Length >= MinimumLength
        && (RequestLength(frame) is not { } expected || expected == frame.Length)
        && Crc16(frame[..^2]) == (frame[^2] | (frame[^1] << 8));

    /// <summary>CRC-16/MODBUS: polynomial 0xA001 (reflected 0x8005), initial 0xFFFF; sent low byte first.</summary>
    public static int Crc16(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF;
        foreach (var value in data)
        {
            crc ^= value;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xA001 : crc >> 1;
            }
        }

        return crc;
    }
}
