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
}
