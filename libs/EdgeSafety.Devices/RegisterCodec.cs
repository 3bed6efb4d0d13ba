using System.Buffers.Binary;

namespace EdgeSafety.Devices;

/// <summary>Turns a value's registers into its engineering value and back (the simulators encode with it).</summary>
public static class RegisterCodec
{
    public static double Decode(RegisterValue value, ReadOnlySpan<ushort> registers)
    {
        Span<byte> bytes = stackalloc byte[4];
        ToBigEndianBytes(value, registers[..value.RegisterCount], bytes);
        double raw = value.Type switch
        {
            RegisterType.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes),
            RegisterType.UInt16 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            RegisterType.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes),
            RegisterType.UInt32 => BinaryPrimitives.ReadUInt32BigEndian(bytes),
            RegisterType.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(value), value.Type, null),
        };
        return raw * value.Scale;
    }

    /// <summary>The registers a device would hold for an engineering value (rounded, and clamped to the raw type's range).</summary>
    public static void Encode(RegisterValue value, double engineering, Span<ushort> registers)
    {
        var raw = engineering / value.Scale;
        Span<byte> bytes = stackalloc byte[4];
        switch (value.Type)
        {
            case RegisterType.Int16:
                BinaryPrimitives.WriteInt16BigEndian(bytes, (short)Math.Clamp(Math.Round(raw), short.MinValue, short.MaxValue));
                break;
            case RegisterType.UInt16:
                BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)Math.Clamp(Math.Round(raw), ushort.MinValue, ushort.MaxValue));
                break;
            case RegisterType.Int32:
                BinaryPrimitives.WriteInt32BigEndian(bytes, (int)Math.Clamp(Math.Round(raw), int.MinValue, int.MaxValue));
                break;
            case RegisterType.UInt32:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)Math.Clamp(Math.Round(raw), uint.MinValue, uint.MaxValue));
                break;
            case RegisterType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(bytes, (float)raw);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.Type, null);
        }

        FromBigEndianBytes(value, bytes, registers[..value.RegisterCount]);
    }

    private static void ToBigEndianBytes(RegisterValue value, ReadOnlySpan<ushort> registers, Span<byte> bytes)
    {
        for (var i = 0; i < registers.Length; i++)
        {
            var register = registers[WordIndex(value, i)];
            if (value.ByteOrder == ByteOrder.Swapped)
            {
                register = BinaryPrimitives.ReverseEndianness(register);
            }

            BinaryPrimitives.WriteUInt16BigEndian(bytes[(2 * i)..], register);
        }
    }

    private static void FromBigEndianBytes(RegisterValue value, ReadOnlySpan<byte> bytes, Span<ushort> registers)
    {
        for (var i = 0; i < registers.Length; i++)
        {
            var register = BinaryPrimitives.ReadUInt16BigEndian(bytes[(2 * i)..]);
            registers[WordIndex(value, i)] = value.ByteOrder == ByteOrder.Swapped
                ? BinaryPrimitives.ReverseEndianness(register)
                : register;
        }
    }

    /// <summary>Which register holds the i-th most significant word.</summary>
    private static int WordIndex(RegisterValue value, int i) =>
        value.WordOrder == WordOrder.LowFirst ? value.RegisterCount - 1 - i : i;
}
