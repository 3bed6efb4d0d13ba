using EdgeSafety.Modbus;

namespace EdgeSafety.Devices.Tests;

public class RegisterCodecTests
{
    private static RegisterValue Value(RegisterType type, double scale = 1, WordOrder words = WordOrder.HighFirst, ByteOrder bytes = ByteOrder.BigEndian) =>
        new("x", RegisterTable.Input, 0, type, words, bytes, scale, "");

    // IEEE 754 single-precision words as meter datasheets print them (e.g. Eastron: 230 V = 0x4366 0x0000).
    [Theory]
    [InlineData(new ushort[] { 0x4366, 0x0000 }, 230.0)]
    [InlineData(new ushort[] { 0x4365, 0x8000 }, 229.5)]
    [InlineData(new ushort[] { 0xC148, 0x0000 }, -12.5)]
    [InlineData(new ushort[] { 0x4248, 0x0000 }, 50.0)]
    [InlineData(new ushort[] { 0x0000, 0x0000 }, 0.0)]
    public void Decodes_float32_high_word_first(ushort[] registers, double expected) =>
        RegisterCodec.Decode(Value(RegisterType.Float32), registers).Should().Be(expected);

    [Fact]
    public void Decodes_float32_low_word_first() =>
        RegisterCodec.Decode(Value(RegisterType.Float32, words: WordOrder.LowFirst), [0x0000, 0x4366]).Should().Be(230.0);

    [Fact]
    public void Decodes_float32_with_swapped_bytes() =>
        RegisterCodec.Decode(Value(RegisterType.Float32, bytes: ByteOrder.Swapped), [0x6643, 0x0000]).Should().Be(230.0);

    [Theory]
    [InlineData(RegisterType.UInt16, new ushort[] { 0x028C }, 0.1, 65.2)]
    [InlineData(RegisterType.Int16, new ushort[] { 0xFF9C }, 0.1, -10.0)]
    [InlineData(RegisterType.UInt16, new ushort[] { 0xFF9C }, 1, 65436)]
    [InlineData(RegisterType.Int32, new ushort[] { 0xFFFF, 0xFFFE }, 1, -2)]
    [InlineData(RegisterType.UInt32, new ushort[] { 0x0001, 0x1170 }, 0.01, 700.0)]
    public void Decodes_integers_with_scale(RegisterType type, ushort[] registers, double scale, double expected) =>
        RegisterCodec.Decode(Value(type, scale), registers).Should().BeApproximately(expected, 1e-9);

    [Theory]
    [InlineData(RegisterType.Float32, 231.25, 1.0)]
    [InlineData(RegisterType.Int16, -3.7, 0.1)]
    [InlineData(RegisterType.UInt16, 72.4, 0.1)]
    [InlineData(RegisterType.Int32, -123456, 1.0)]
    [InlineData(RegisterType.UInt32, 4000000.5, 0.5)]
    public void Encoding_then_decoding_gives_the_value_back_for_every_order(RegisterType type, double value, double scale)
    {
        foreach (var words in Enum.GetValues<WordOrder>())
        {
            foreach (var bytes in Enum.GetValues<ByteOrder>())
            {
                var register = Value(type, scale, words, bytes);
                var registers = new ushort[register.RegisterCount];
                RegisterCodec.Encode(register, value, registers);
                RegisterCodec.Decode(register, registers).Should().BeApproximately(value, 1e-6, $"{type} {words} {bytes}");
            }
        }
    }

    [Fact]
    public void Encoding_clamps_to_what_the_register_can_hold()
    {
        var registers = new ushort[1];
        RegisterCodec.Encode(Value(RegisterType.UInt16, 0.1), -5, registers);
        registers[0].Should().Be(0);
        RegisterCodec.Encode(Value(RegisterType.UInt16, 0.1), 1e9, registers);
        registers[0].Should().Be(ushort.MaxValue);
    }
}
