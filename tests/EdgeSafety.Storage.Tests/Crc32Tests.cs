using System.Text;

namespace EdgeSafety.Storage.Tests;

public sealed class Crc32Tests
{
    [Fact]
    public void Matches_the_standard_check_value_also_when_fed_in_two_parts()
    {
        // The CRC-32 (zlib, Ethernet) check value of "123456789" is 0xCBF43926.
        Crc32.Compute(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xCBF43926);
        Crc32.Compute(Encoding.ASCII.GetBytes("1234"), Encoding.ASCII.GetBytes("56789")).Should().Be(0xCBF43926);
    }

    /// <summary>Eight bytes at a time must give what one byte at a time gives, for every length and split of a record.</summary>
    [Fact]
    public void Matches_the_byte_at_a_time_crc_for_every_length_and_split()
    {
        var data = new byte[1100];
        new Random(7).NextBytes(data);
        for (var length = 0; length <= data.Length; length += length < 40 ? 1 : 37)
        {
            var whole = data.AsSpan(0, length);
            var expected = ByteAtATime(whole);
            Crc32.Compute(whole).Should().Be(expected, $"length {length}");
            var split = length / 3;
            Crc32.Compute(whole[..split], whole[split..]).Should().Be(expected, $"length {length} split at {split}");
        }
    }

    private static uint ByteAtATime(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB8_8320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
