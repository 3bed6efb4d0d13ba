using System.Text.Json;

namespace EdgeSafety.Influx.Tests;

/// <summary>The client against a real influxd 1.6.7 (one for the class, a database per test).</summary>
public sealed class InfluxClientTests(InfluxFixture influx) : IClassFixture<InfluxFixture>
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Fact]
    public async Task Ping_answers()
    {
        var client = new InfluxClient(influx.Http, influx.Options("unused"));

        await client.PingAsync();
    }

    [Fact]
    public async Task Every_escaping_case_reads_back_exactly_as_written()
    {
        var client = await influx.NewDatabaseAsync();

        await client.WriteAsync([Samples.Escaping()]);
        var series = await client.QueryAsync($"SELECT * FROM {InfluxQL.Identifier(Samples.Measurement)}");

        var only = series.Should().ContainSingle().Subject;
        only.Name.Should().Be(Samples.Measurement);
        var row = only.Values.Should().ContainSingle().Subject;
        JsonElement Column(string name) => row[only.ColumnIndex(name)];
        Column("time").GetInt64().Should().Be(Samples.Time.ToUnixTimeMilliseconds());
        foreach (var (key, value) in Samples.Tags)
        {
            Column(key).GetString().Should().Be(value, "tag {0}", key);
        }

        foreach (var (key, value) in Samples.Doubles)
        {
            BitConverter.DoubleToInt64Bits(Column(key).GetDouble()).Should().Be(BitConverter.DoubleToInt64Bits(value), "field {0} = {1:R}", key, value);
        }

        foreach (var (key, value) in Samples.Integers)
        {
            Column(key).GetInt64().Should().Be(value, "field {0}", key);
        }

        Column("text").GetString().Should().Be(Samples.Text);
        Column("on").GetBoolean().Should().BeTrue();
        Column("off").GetBoolean().Should().BeFalse();
        only.ColumnIndex("empty").Should().Be(-1, "an empty tag value is not written");

        var fieldTypes = (await client.QueryAsync($"SHOW FIELD KEYS FROM {InfluxQL.Identifier(Samples.Measurement)}"))
            .Single().Values.ToDictionary(r => r[0].GetString()!, r => r[1].GetString());
        fieldTypes.Should().Contain(new Dictionary<string, string?>
        {
            ["sum"] = "float", ["whole"] = "float", ["count"] = "integer", ["text"] = "string", ["on"] = "boolean",
        });
    }

    [Fact]
    public async Task The_extreme_timestamps_are_stored_to_the_millisecond()
    {
        var client = await influx.NewDatabaseAsync();
        DateTimeOffset[] times = [InfluxPoint.MinTimestamp, DateTimeOffset.FromUnixTimeMilliseconds(-1), InfluxPoint.MaxTimestamp];

        await client.WriteAsync([.. times.Select((t, i) => new InfluxPoint("m", t).Field("i", (long)i))]);

        var rows = (await client.QueryAsync("SELECT \"i\" FROM \"m\"")).Single().Values;
        rows.Select(r => r[0].GetInt64()).Should().Equal(times.Select(t => t.ToUnixTimeMilliseconds()));
    }

    /// <summary>
    /// Ingest copies a payload's number text into the line instead of formatting the double it parsed: what InfluxDB
    /// stores must be the same double, bit for bit, for every shape a JSON number can take.
    /// </summary>
    [Fact]
    public async Task A_float_written_as_its_JSON_text_is_stored_as_the_same_double_as_the_formatted_one()
    {
        var client = await influx.NewDatabaseAsync();
        string[] texts =
        [
            "0", "-0", "230", "-7", "0.1", "230.57", "-12.25", "1E-05", "1e5", "2.5e+300", "-1.5E-300", "1e-400", "-1e-400",
            "5e-324", "2.2250738585072011e-308", "1.7976931348623157e308", "0.30000000000000004", "9007199254740993",
            "123456789012345678901234567890", "3.14159265358979323846264338327950288", "0.000000000000000000000001234",
            "1.00000000000000011102230246251565404236316680908203125",
        ];
        var points = new List<InfluxPoint>();
        for (var i = 0; i < texts.Length; i++)
        {
            var value = double.Parse(texts[i], System.Globalization.CultureInfo.InvariantCulture);
            var time = T0.AddMilliseconds(i);
            points.Add(new InfluxPoint("as_text", time).Field("v", value, System.Text.Encoding.ASCII.GetBytes(texts[i])));
            points.Add(new InfluxPoint("formatted", time).Field("v", value));
        }

        await client.WriteAsync(points);

        async Task<long[]> Stored(string measurement) =>
            [.. (await client.QueryAsync($"SELECT \"v\" FROM \"{measurement}\"")).Single().Values
                .Select(row => BitConverter.DoubleToInt64Bits(row[1].GetDouble()))];
        var asText = await Stored("as_text");
        asText.Should().HaveCount(texts.Length);
        asText.Should().Equal(await Stored("formatted"));
        asText.Should().Equal(texts.Select(t => BitConverter.DoubleToInt64Bits(double.Parse(t, System.Globalization.CultureInfo.InvariantCulture))),
            "InfluxDB rounds each text to the double .NET reads from it");
    }

    [Fact]
    public async Task Writing_the_same_point_again_leaves_one_point_with_the_last_values()
    {
        var client = await influx.NewDatabaseAsync();
        InfluxPoint Reading(double value, string state) =>
            new InfluxPoint("smoke", T0).Tag("device", "d1").Tag("floor", "3").Field("value", value).Field("state", state);

        await client.WriteAsync([Reading(1.5, "first")]);
        await client.WriteAsync([Reading(2.5, "second"), new InfluxPoint("smoke", T0).Tag("floor", "3").Tag("device", "d1").Field("value", 3.5)]);

        var row = (await client.QueryAsync("SELECT \"value\", \"state\" FROM \"smoke\"")).Single().Values.Should().ContainSingle().Subject;
        row[0].GetInt64().Should().Be(T0.ToUnixTimeMilliseconds());
        row[1].GetDouble().Should().Be(3.5, "the last write wins, whatever the order of its tags");
        row[2].GetString().Should().Be("second", "a field the last write did not carry keeps its earlier value");
    }

    [Fact]
    public async Task A_field_type_conflict_is_rejected_with_Influx_text_and_the_other_points_are_stored()
    {
        var client = await influx.NewDatabaseAsync();
        await client.WriteAsync([new InfluxPoint("co2", T0).Tag("device", "a").Field("ppm", 400L)]);

        var conflicting = new InfluxPoint("co2", T0.AddSeconds(1)).Tag("device", "b").Field("ppm", 412.5);
        var fine = new InfluxPoint("co2", T0.AddSeconds(1)).Tag("device", "c").Field("ppm", 415L);
        var act = () => client.WriteAsync([conflicting, fine]);

        var error = (await act.Should().ThrowAsync<InfluxWriteException>()).Which;
        error.Failure.Should().Be(InfluxWriteFailure.Rejected);
        error.StatusCode.Should().Be(400);
        error.IsPartialWrite.Should().BeTrue();
        error.DroppedPoints.Should().Be(1);
        error.ServerError.Should().Contain("field type conflict").And.Contain("\"ppm\"");
        error.Message.Should().Contain(error.ServerError);
        var devices = (await client.QueryAsync("SELECT \"ppm\" FROM \"co2\" GROUP BY \"device\"")).Select(s => s.Tags["device"]);
        devices.Should().BeEquivalentTo(["a", "c"]);
    }

    [Fact]
    public async Task A_missing_database_is_transient_with_Influx_text_and_EnsureDatabase_fixes_it()
    {
        var client = new InfluxClient(influx.Http, influx.Options("not_created_yet"));
        var point = new InfluxPoint("m", T0).Field("f", 1L);

        var error = (await client.Invoking(c => c.WriteAsync([point])).Should().ThrowAsync<InfluxWriteException>()).Which;
        error.Failure.Should().Be(InfluxWriteFailure.Transient, "the batch is fine; the database is missing");
        error.StatusCode.Should().Be(404);
        error.Message.Should().Contain("database not found");

        await client.EnsureDatabaseAsync();
        await client.EnsureDatabaseAsync();
        await client.WriteAsync([point]);
        (await client.QueryAsync("SELECT COUNT(\"f\") FROM \"m\"")).Single().Values.Single()[1].GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task A_batch_of_5000_points_is_written_in_one_call()
    {
        var client = await influx.NewDatabaseAsync();
        var points = Enumerable.Range(0, 5_000)
            .Select(i => new InfluxPoint("sensor", T0.AddMilliseconds(i / 10)).Tag("device", $"dev-{i % 10}")
                .Field("value", i * 0.5).Field("seq", (long)i))
            .ToArray();

        await client.WriteAsync(points);

        var counts = (await client.QueryAsync("SELECT COUNT(\"value\"), SUM(\"seq\") FROM \"sensor\"")).Single().Values.Single();
        counts[1].GetInt64().Should().Be(5_000);
        counts[2].GetInt64().Should().Be(4_999L * 5_000 / 2, "every point arrived with its own values");
    }

    [Fact]
    public async Task The_retention_policy_option_writes_into_that_policy()
    {
        var options = influx.Options("with_policy");
        var client = new InfluxClient(influx.Http, options);
        await client.EnsureDatabaseAsync();
        await client.ExecuteAsync("CREATE RETENTION POLICY \"week\" ON \"with_policy\" DURATION 7d REPLICATION 1");
        options.RetentionPolicy = "week";
        var intoWeek = new InfluxClient(influx.Http, options);

        await intoWeek.WriteAsync([new InfluxPoint("m", DateTimeOffset.UtcNow).Field("f", 1L)]);

        (await client.QueryAsync("SELECT * FROM \"week\".\"m\"")).Should().ContainSingle();
        (await client.QueryAsync("SELECT * FROM \"m\"")).Should().BeEmpty("the default policy got nothing");
    }

    [Fact]
    public async Task A_syntax_error_throws_with_Influx_text()
    {
        var client = await influx.NewDatabaseAsync();

        var error = (await client.Invoking(c => c.QueryAsync("SELEC * FROM \"m\"")).Should().ThrowAsync<InfluxQueryException>()).Which;

        error.StatusCode.Should().Be(400);
        error.ServerError.Should().StartWith("error parsing query: found SELEC");
        error.Message.Should().Contain(error.ServerError).And.Contain("SELEC * FROM");
    }

    [Fact]
    public async Task A_failing_statement_throws_with_its_number_and_Influx_text()
    {
        var client = await influx.NewDatabaseAsync();

        var error = (await client.Invoking(c => c.QueryAsync("SHOW MEASUREMENTS; SELECT * FROM \"nowhere\"..\"m\""))
            .Should().ThrowAsync<InfluxQueryException>()).Which;

        error.StatementId.Should().Be(1);
        error.ServerError.Should().Contain("database not found: nowhere");
    }

    [Theory]
    [InlineData("x' OR 1=1 --")]
    [InlineData("a\"b")]
    [InlineData(@"back\slash' OR device =~ /.*/ --")]
    [InlineData("海珠区-7")]
    public async Task A_hostile_device_id_selects_only_its_own_points(string hostile)
    {
        var client = await influx.NewDatabaseAsync();
        await client.WriteAsync([
            new InfluxPoint("smoke", T0).Tag("device", hostile).Field("value", 1.0),
            new InfluxPoint("smoke", T0).Tag("device", "victim").Field("value", 2.0),
            new InfluxPoint("smoke", T0).Tag("device", "x").Field("value", 3.0),
        ]);

        var mine = await client.QueryAsync(
            $"SELECT \"value\" FROM \"smoke\" WHERE {InfluxQL.Identifier("device")} = {InfluxQL.Literal(hostile)} GROUP BY \"device\"");
        var unknown = await client.QueryAsync($"SELECT \"value\" FROM \"smoke\" WHERE \"device\" = {InfluxQL.Literal(hostile + "' OR ''='")}");

        mine.Should().ContainSingle().Which.Tags["device"].Should().Be(hostile);
        mine[0].Values.Should().ContainSingle().Which[1].GetDouble().Should().Be(1.0);
        unknown.Should().BeEmpty();
    }

    [Fact]
    public async Task A_hostile_measurement_name_is_quoted_as_one_identifier()
    {
        var client = await influx.NewDatabaseAsync();
        const string Hostile = "m\" WHERE 1=1; DROP DATABASE \"x";
        await client.WriteAsync([new InfluxPoint(Hostile, T0).Field("f", 1L), new InfluxPoint("m", T0).Field("f", 2L)]);

        var series = await client.QueryAsync($"SELECT \"f\" FROM {InfluxQL.Identifier(Hostile)}");

        series.Should().ContainSingle().Which.Name.Should().Be(Hostile);
        series[0].Values.Single()[1].GetInt64().Should().Be(1);
    }
}
