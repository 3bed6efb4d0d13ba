using EdgeSafety.Analytics.Charging;

namespace EdgeSafety.Analytics.Tests;

public sealed class MeterCsvReaderTests
{
    private const string Header = "ts,meter,voltage_v,current_a,power_w,reactive_var,power_factor,thd_i_pct,h3_pct,h5_pct,h7_pct,h9_pct,h11_pct,h13_pct,h15_pct";

    [Fact]
    public void Reads_every_tier_interleaved_meters_and_both_timestamp_forms()
    {
        var rows = Read(
            Header,
            "2026-11-22T21:00:00+08:00,room-301,220.1,1.5,300,20,0.9,40,30,20,10,5,3,2,1",
            "1795352400000,room-302,219,0.5,100,,0.95,12,,,,,,,",
            "2026-11-22T13:00:01.500Z,\"room-303\",221,0.4,80,,0.8,,,,,,,,");

        rows.Select(r => r.Meter).Should().Equal("room-301", "room-302", "room-303");
        rows.Select(r => r.Observation.Tier).Should().Equal(MeterTier.Harmonic, MeterTier.Thd, MeterTier.Basic);
        rows[0].Observation.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 22, 21, 0, 0, TimeSpan.FromHours(8)));
        rows[0].Observation.Harmonics!.Value[6].Should().Be(1);
        rows[1].Observation.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1795352400000));
        rows[1].Observation.ReactiveVar.Should().BeNull();
        rows[2].Observation.Timestamp.Should().Be(new DateTimeOffset(2026, 11, 22, 13, 0, 1, 500, TimeSpan.Zero));
    }

    [Fact]
    public void Columns_after_power_may_be_absent_from_the_header()
    {
        var rows = Read("meter,ts,power_w,current_a,voltage_v", "m1,1795352400000,50,0.25,230");

        rows.Single().Observation.Should().Be(new MeterObservation(DateTimeOffset.FromUnixTimeMilliseconds(1795352400000), 230, 0.25, 50));
    }

    [Theory]
    [InlineData("2026-11-22T21:00:00,m1,220,1,100", "line 3: ts \"2026-11-22T21:00:00\" is neither")]
    [InlineData("yesterday,m1,220,1,100", "line 3: ts \"yesterday\"")]
    [InlineData("1795352400000,m1,220,abc,100", "line 3: current_a \"abc\" is not a number")]
    [InlineData("1795352400000,m1,220,1", "line 3: 4 fields, the header has 5")]
    [InlineData("1795352400000,,220,1,100", "line 3: meter is empty")]
    [InlineData("1795352400000,m1,220,1,", "line 3: power_w is empty")]
    [InlineData("1795352400000,m1,220,1,NaN", "line 3: power_w \"NaN\" is not a number")]
    [InlineData("1795352400000,\"m1,220,1,100", "line 3: a quoted field is not closed")]
    public void A_bad_row_stops_with_its_line_number(string row, string message)
    {
        var read = () => Read("ts,meter,voltage_v,current_a,power_w", "1795352399000,m1,220,1,100", row);

        read.Should().Throw<MeterCsvException>().Which.Message.Should().StartWith(message);
    }

    [Fact]
    public void With_skipping_bad_rows_are_counted_and_the_rest_read()
    {
        var skipped = new List<long>();
        var reader = new MeterCsvReader(new StringReader(string.Join('\n',
            "ts,meter,voltage_v,current_a,power_w", "1795352400000,m1,220,1,100", "bad,m1,220,1,100", "", "1795352401000,m1,220,1,x", "1795352402000,m1,220,1,101")),
            skipBadRows: true, ex => skipped.Add(ex.Line));

        var rows = reader.ReadRows().ToList();

        rows.Select(r => r.Line).Should().Equal(2, 6);
        reader.SkippedRows.Should().Be(2);
        skipped.Should().Equal(3, 5);
    }

    [Fact]
    public void A_header_without_the_required_columns_is_refused()
    {
        var read = () => Read("time,meter,power_w", "1,m1,100");

        read.Should().Throw<MeterCsvException>().WithMessage("line 1: the header lacks ts, voltage_v, current_a*");
    }

    private static List<MeterCsvRow> Read(params string[] lines) =>
        new MeterCsvReader(new StringReader(string.Join('\n', lines)), skipBadRows: false).ReadRows().ToList();
}
