namespace EdgeSafety.Influx.Tests;

/// <summary>A point with every escaping case the line protocol has, and the exact line it must become.</summary>
internal static class Samples
{
    public const string Measurement = "weather station,north";

    public static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    public static readonly (string Key, string Value)[] Tags =
    [
        ("site", "海珠区"),
        ("label", "a,b=c d"),
        ("quote", "say \"hi\""),
        ("path", @"C:\data\x"),
        ("odd", @"x\,y\ z\=w"),
        ("tag key,=", "v"),
    ];

    public static readonly (string Key, double Value)[] Doubles =
    [
        ("sum", 0.1 + 0.2),
        ("tiny", 1e-300),
        ("huge", double.MaxValue),
        ("negative", -273.15),
        ("whole", 2.0),
        ("field key, =", 1.5),
    ];

    public static readonly (string Key, long Value)[] Integers =
    [
        ("count", 42L),
        ("max", long.MaxValue),
        ("min", long.MinValue),
    ];

    public const string Text = "He said \"hi\" \\ and\nleft";

    /// <summary>The tags sorted by key, measurement and tag keys escaped, the empty tag left out, fields in order.</summary>
    public const string ExpectedLine =
        @"weather\ station\,north,label=a\,b\=c\ d,odd=x\\,y\\ z\\=w,path=C:\data\x,quote=say\ ""hi"",site=海珠区,tag\ key\,\==v "
        + @"sum=0.30000000000000004,tiny=1E-300,huge=1.7976931348623157E+308,negative=-273.15,whole=2,field\ key\,\ \==1.5,"
        + @"count=42i,max=9223372036854775807i,min=-9223372036854775808i,"
        + "text=\"He said \\\"hi\\\" \\\\ and\nleft\",on=true,off=false 1700000000123";

    public static InfluxPoint Escaping()
    {
        var point = new InfluxPoint(Measurement, Time);
        foreach (var (key, value) in Tags)
        {
            point.Tag(key, value);
        }

        point.Tag("empty", "");
        foreach (var (key, value) in Doubles)
        {
            point.Field(key, value);
        }

        foreach (var (key, value) in Integers)
        {
            point.Field(key, value);
        }

        return point.Field("text", Text).Field("on", true).Field("off", false);
    }
}
