namespace EdgeSafety.Influx.Tests;

public sealed class InfluxQLTests
{
    [Theory]
    [InlineData("device", "\"device\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("x' OR 1=1 --", "\"x' OR 1=1 --\"")]
    [InlineData(@"back\", "\"back\\\\\"")]
    [InlineData("two\nlines", "\"two\\nlines\"")]
    [InlineData("海珠区", "\"海珠区\"")]
    public void Identifiers_are_double_quoted_with_backslash_escapes(string name, string quoted)
    {
        InfluxQL.Identifier(name).Should().Be(quoted);
    }

    [Theory]
    [InlineData("dev-1", "'dev-1'")]
    [InlineData("x' OR 1=1 --", "'x\\' OR 1=1 --'")]
    [InlineData("a\"b", "'a\"b'")]
    [InlineData(@"back\", "'back\\\\'")]
    [InlineData(@"\' OR ''='", @"'\\\' OR \'\'=\''")]
    [InlineData("two\nlines", "'two\\nlines'")]
    public void Literals_are_single_quoted_with_backslash_escapes(string value, string quoted)
    {
        InfluxQL.Literal(value).Should().Be(quoted);
    }
}
