using System.Text;

namespace EdgeSafety.Influx.Tests;

public sealed class LineProtocolTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1_000);

    [Fact]
    public void Every_escaping_case_gives_the_exact_line()
    {
        LineProtocol.Format(Samples.Escaping()).Should().Be(Samples.ExpectedLine);
    }

    [Theory]
    [InlineData("m", "m f=1 1000")]
    [InlineData("with space", @"with\ space f=1 1000")]
    [InlineData("with,comma", @"with\,comma f=1 1000")]
    [InlineData("equals=kept", "equals=kept f=1 1000")]
    [InlineData("quote\"kept", "quote\"kept f=1 1000")]
    [InlineData(@"back\slash", @"back\slash f=1 1000")]
    [InlineData("温度", "温度 f=1 1000")]
    public void Measurement_escapes_only_comma_and_space(string measurement, string expected)
    {
        LineProtocol.Format(new InfluxPoint(measurement, Time).Field("f", 1.0)).Should().Be(expected);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a b", @"a\ b")]
    [InlineData("a,b", @"a\,b")]
    [InlineData("a=b", @"a\=b")]
    [InlineData("a\"b", "a\"b")]
    [InlineData(@"a\b", @"a\b")]
    [InlineData(@"a\ b", @"a\\ b")]
    [InlineData("海珠区", "海珠区")]
    [InlineData("tab\there", "tab\there")]
    public void Tag_keys_tag_values_and_field_keys_escape_comma_equals_and_space(string text, string escaped)
    {
        var point = new InfluxPoint("m", Time).Tag(text, text).Field(text, 1L);

        LineProtocol.Format(point).Should().Be($"m,{escaped}={escaped} {escaped}=1i 1000");
    }

    [Theory]
    [InlineData("", "\"\"")]
    [InlineData("a \"b\"", "\"a \\\"b\\\"\"")]
    [InlineData(@"C:\dir\", "\"C:\\\\dir\\\\\"")]
    [InlineData("a,b=c d", "\"a,b=c d\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void String_fields_escape_double_quote_and_backslash(string value, string written)
    {
        LineProtocol.Format(new InfluxPoint("m", Time).Field("s", value)).Should().Be($"m s={written} 1000");
    }

    [Fact]
    public void Numbers_are_invariant_doubles_round_trip_and_integers_with_i()
    {
        var point = new InfluxPoint("m", Time)
            .Field("pi", Math.PI).Field("third", 1.0 / 3).Field("small", 5e-324).Field("minus_zero", -0.0)
            .Field("int", -7L).Field("whole", 3.0).Field("yes", true).Field("no", false);

        LineProtocol.Format(point).Should().Be(
            "m pi=3.141592653589793,third=0.3333333333333333,small=5E-324,minus_zero=-0,int=-7i,whole=3,yes=true,no=false 1000");
    }

    [Fact]
    public void Append_ends_each_line_so_points_make_a_batch_and_tags_are_sorted_by_key()
    {
        var batch = new StringBuilder();
        LineProtocol.Append(batch, new InfluxPoint("m", Time).Tag("z", "1").Tag("a", "2").Tag("B", "3").Field("f", 1L));
        LineProtocol.Append(batch, new InfluxPoint("m", Time.AddMilliseconds(1)).Field("f", 2L));

        batch.ToString().Should().Be("m,B=3,a=2,z=1 f=1i 1000\nm f=2i 1001\n");
    }

    [Fact]
    public void The_timestamp_is_in_milliseconds_and_finer_parts_are_dropped()
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(9_999);
        var beforeEpoch = DateTimeOffset.FromUnixTimeMilliseconds(-5_000);

        LineProtocol.Format(new InfluxPoint("m", time).Field("f", 1L)).Should().EndWith(" 1700000000123");
        LineProtocol.Format(new InfluxPoint("m", beforeEpoch).Field("f", 1L)).Should().EndWith(" -5000");
        LineProtocol.Format(new InfluxPoint("m", new DateTimeOffset(2024, 1, 1, 1, 0, 0, TimeSpan.FromHours(1))).Field("f", 1L))
            .Should().EndWith(" 1704067200000");
    }

    [Fact]
    public void Empty_tag_values_are_skipped()
    {
        LineProtocol.Format(new InfluxPoint("m", Time).Tag("a", "").Tag("b", "x").Field("f", 1L)).Should().Be("m,b=x f=1i 1000");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_doubles_are_refused(double value)
    {
        var act = () => new InfluxPoint("m", Time).Field("f", value);

        act.Should().Throw<ArgumentException>().WithMessage("*finite*");
    }

    [Fact]
    public void What_the_line_protocol_cannot_carry_is_refused_at_the_caller()
    {
        var point = new InfluxPoint("m", Time).Tag("t", "x").Field("f", 1L);

        new Action(() => _ = new InfluxPoint("", Time)).Should().Throw<ArgumentException>();
        new Action(() => _ = new InfluxPoint("#comment", Time)).Should().Throw<ArgumentException>().WithMessage("*comment*");
        new Action(() => _ = new InfluxPoint(@"ends\", Time)).Should().Throw<ArgumentException>().WithMessage("*backslash*");
        new Action(() => point.Tag("v", @"ends\")).Should().Throw<ArgumentException>().WithMessage("*backslash*");
        new Action(() => point.Tag("v", "two\nlines")).Should().Throw<ArgumentException>().WithMessage("*line break*");
        new Action(() => point.Field("k\r", 1L)).Should().Throw<ArgumentException>().WithMessage("*line break*");
        new Action(() => point.Tag("", "x")).Should().Throw<ArgumentException>();
        new Action(() => point.Tag("t", "again")).Should().Throw<ArgumentException>().WithMessage("*already*");
        new Action(() => point.Field("f", 2.0)).Should().Throw<ArgumentException>().WithMessage("*already*");
        new Action(() => point.Field("time", 2.0)).Should().Throw<ArgumentException>().WithMessage("*reserved*");
        new Action(() => point.Tag("time", "x")).Should().Throw<ArgumentException>().WithMessage("*reserved*");
        new Action(() => _ = new InfluxPoint("m", DateTimeOffset.MinValue)).Should().Throw<ArgumentOutOfRangeException>();
        new Action(() => _ = new InfluxPoint("m", new DateTimeOffset(2263, 1, 1, 0, 0, 0, TimeSpan.Zero))).Should().Throw<ArgumentOutOfRangeException>();
        new Action(() => LineProtocol.Format(new InfluxPoint("m", Time).Tag("t", "x"))).Should().Throw<ArgumentException>().WithMessage("*no field*");
    }

    [Fact]
    public void The_extreme_timestamps_Influx_stores_are_accepted()
    {
        LineProtocol.Format(new InfluxPoint("m", InfluxPoint.MinTimestamp).Field("f", 1L)).Should().EndWith(" -9223372036854");
        LineProtocol.Format(new InfluxPoint("m", InfluxPoint.MaxTimestamp).Field("f", 1L)).Should().EndWith(" 9223372036854");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("230.5")]
    [InlineData("-12.25")]
    [InlineData("1E-05")]
    [InlineData("2.5e+300")]
    [InlineData("1e-400")]
    [InlineData("0.30000000000000004")]
    [InlineData("3.14159265358979323846264338327950288")]
    public void A_float_read_from_text_is_written_as_that_text(string text)
    {
        var value = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        LineProtocol.Format(new InfluxPoint("m", Time).Field("f", value, Encoding.ASCII.GetBytes(text))).Should().Be($"m f={text} 1000");
    }

    [Fact]
    public void A_float_from_text_under_a_key_to_escape_is_escaped_as_any_other()
    {
        var point = new InfluxPoint("m", Time).Field("a b", 1.5, "1.50"u8.ToArray()).Field("plain", 2.0, "2e0"u8.ToArray()).Field("c,d=e", 3.0, "3"u8.ToArray());

        LineProtocol.Format(point).Should().Be(@"m a\ b=1.50,plain=2e0,c\,d\=e=3 1000");
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+1")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1i")]
    [InlineData("1 ")]
    [InlineData("0x10")]
    [InlineData("NaN")]
    [InlineData("1,2")]
    public void A_float_text_that_is_not_a_JSON_number_is_refused(string text)
    {
        var act = () => new InfluxPoint("m", Time).Field("f", 1.0, Encoding.ASCII.GetBytes(text));

        act.Should().Throw<ArgumentException>().WithMessage("*not a JSON number*");
    }

    [Fact]
    public void A_repeated_field_key_is_refused_among_many()
    {
        var point = new InfluxPoint("m", Time);
        for (var i = 0; i < 200; i++)
        {
            point.Field($"value_{i}", (double)i);
        }

        for (var i = 0; i < 200; i++)
        {
            new Action(() => point.Field($"value_{i}", 0.0)).Should().Throw<ArgumentException>().WithMessage("*already*");
        }

        LineProtocol.Format(point).Should().StartWith("m value_0=0,value_1=1,").And.EndWith(",value_199=199 1000");
    }
}
