using System.Text;

namespace EdgeSafety.Influx;

/// <summary>
/// Quotes values from outside (a device id, a measurement name) for InfluxQL, so that a query built from them
/// means exactly that value and nothing more: <c>$"SELECT * FROM {InfluxQL.Identifier(m)} WHERE "device" = {InfluxQL.Literal(id)}"</c>.
/// </summary>
/// <remarks>
/// InfluxQL reads double-quoted identifiers and single-quoted strings with the same escapes: \\ \" \' and \n.
/// Every backslash and the quote character are escaped, and a line break (which would end the string with an error)
/// is written as \n; nothing else has a meaning inside the quotes.
/// </remarks>
public static class InfluxQL
{
    /// <summary>A double-quoted identifier (database, retention policy, measurement, tag or field key).</summary>
    public static string Identifier(string name) => Quote(name, '"');

    /// <summary>A single-quoted string literal (a tag value to compare with, for example).</summary>
    public static string Literal(string value) => Quote(value, '\'');

    private static string Quote(string text, char quote)
    {
        ArgumentNullException.ThrowIfNull(text);
        var quoted = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => quoted.Append(@"\\"),
                '\n' => quoted.Append(@"\n"),
                _ when c == quote => quoted.Append('\\').Append(c),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append(quote).ToString();
    }
}
