using System.Buffers;
using System.Text.Json;

namespace EdgeSafety.Contracts;

/// <summary>A command from the platform to one gateway (docs/protocol.md, "Commands"). Its id is repeated in the reply.</summary>
public abstract record GatewayCommand(string Id)
{
    /// <summary>The command's name: the last segment of its topic.</summary>
    public abstract string Name { get; }
}

/// <summary>Replace the gateway's site configuration; <paramref name="AgentSection"/> is the "Agent" section as JSON text.</summary>
public sealed record ConfigCommand(string Id, string AgentSection) : GatewayCommand(Id)
{
    public override string Name => CommandCodec.Config;
}

/// <summary>
/// Play an on-site warning for <paramref name="Target"/> (the noise sensor or device the warning is about): a message
/// recorded in the gateway's configuration by its key, or free text spoken by a text-to-speech player.
/// </summary>
public sealed record WarnCommand(string Id, string Target, string? MessageKey, string? Text) : GatewayCommand(Id)
{
    public override string Name => CommandCodec.Warn;
}

/// <summary>Report the gateway's state (version, uptime, buses, devices, store backlog, broker connection).</summary>
public sealed record DiagnosticsCommand(string Id) : GatewayCommand(Id)
{
    public override string Name => CommandCodec.Diagnostics;
}

/// <summary>A gateway's answer to a command: <paramref name="Error"/> says what was wrong when not <paramref name="Ok"/>.</summary>
public sealed record CommandReply(string Id, string Command, bool Ok, string? Error, JsonElement? Result = null);

/// <summary>
/// Writes and reads the version-1 command and reply payloads, for the platform that sends commands (ingest's noise rules,
/// the dashboard) and the gateway that runs them. Reading is strict, as for readings: anything not per docs/protocol.md
/// is rejected with a reason.
/// </summary>
public static class CommandCodec
{
    public const int Version = 1;

    public const string Config = "config";
    public const string Warn = "warn";
    public const string Diagnostics = "diagnostics";

    /// <summary>The commands a gateway understands.</summary>
    public static readonly IReadOnlyList<string> Names = [Config, Warn, Diagnostics];

    /// <summary>A site configuration of a few dozen devices is a few KB; commands past this are refused before parsing.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>Free warning text is spoken aloud on site: short, and never a vehicle for anything else.</summary>
    public const int MaxWarnTextLength = 200;

    /// <summary>The site configuration nests a few levels (Agent, Buses, a bus, its settings); nothing needs more.</summary>
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static byte[] Serialize(GatewayCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return Write(json =>
        {
            json.WriteNumber("v", Version);
            json.WriteString("id", Checked(command.Id, "id"));
            switch (command)
            {
                case ConfigCommand config:
                    json.WritePropertyName("agent");
                    using (var section = JsonDocument.Parse(config.AgentSection, DocumentOptions))
                    {
                        section.RootElement.WriteTo(json);
                    }

                    break;
                case WarnCommand warn:
                    json.WriteString("target", Checked(warn.Target, "target"));
                    if (warn.MessageKey is not null)
                    {
                        json.WriteString("message", Checked(warn.MessageKey, "message"));
                    }

                    if (warn.Text is not null)
                    {
                        json.WriteString("text", warn.Text);
                    }

                    break;
            }
        });
    }

    /// <summary>
    /// Reads a command received on a command topic. <paramref name="id"/> is the request id whenever it could be read,
    /// even for a rejected command, so that the rejection can be answered.
    /// </summary>
    public static bool TryParse(string name, ReadOnlySpan<byte> payload, out GatewayCommand? command, out string? id, out Rejection? rejection)
    {
        command = null;
        id = null;
        rejection = Parse(payload, out var document);
        if (document is null)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            rejection = RequireHeader(root, out id) ?? name switch
            {
                Config => ReadConfig(root, id!, out command),
                Warn => ReadWarn(root, id!, out command),
                Diagnostics => Done(new DiagnosticsCommand(id!), out command),
                _ => new(RejectionReason.UnknownTopic, $"'{JsonPayload.Truncate(name)}' is not a command (one of {string.Join(", ", Names)})"),
            };
            return rejection is null;
        }
    }

    public static byte[] SerializeReply(CommandReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return Write(json =>
        {
            json.WriteNumber("v", Version);
            json.WriteString("id", reply.Id);
            json.WriteString("command", reply.Command);
            json.WriteBoolean("ok", reply.Ok);
            if (reply.Error is not null)
            {
                json.WriteString("error", reply.Error);
            }

            if (reply.Result is { } result)
            {
                json.WritePropertyName("result");
                result.WriteTo(json);
            }
        });
    }

    /// <summary>Reads a gateway's reply, for the sender of the command.</summary>
    public static bool TryParseReply(ReadOnlySpan<byte> payload, out CommandReply? reply, out Rejection? rejection)
    {
        reply = null;
        rejection = Parse(payload, out var document);
        if (document is null)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            string? id = null;
            var command = string.Empty;
            var ok = false;
            string? error = null;
            rejection = RequireHeader(root, out id)
                ?? JsonPayload.RequireString(root, "command", out command)
                ?? RequireBoolean(root, "ok", out ok)
                ?? OptionalString(root, "error", out error);
            if (rejection is not null)
            {
                return false;
            }

            if (!ok && string.IsNullOrEmpty(error))
            {
                rejection = new(RejectionReason.MissingField, "error is missing from a reply with ok false");
                return false;
            }

            JsonElement? result = root.TryGetProperty("result", out var element) ? element.Clone() : null;
            reply = new CommandReply(id!, command, ok, error, result);
            return true;
        }
    }

    private static Rejection? ReadConfig(JsonElement root, string id, out GatewayCommand? command)
    {
        command = null;
        if (!root.TryGetProperty("agent", out var agent))
        {
            return JsonPayload.Missing("agent");
        }

        return agent.ValueKind != JsonValueKind.Object
            ? new(RejectionReason.WrongType, "agent must be an object (the site configuration's \"Agent\" section)")
            : Done(new ConfigCommand(id, agent.GetRawText()), out command);
    }

    private static Rejection? ReadWarn(JsonElement root, string id, out GatewayCommand? command)
    {
        command = null;
        if (JsonPayload.RequireString(root, "target", out var target) is { } targetError)
        {
            return targetError;
        }

        if (OptionalString(root, "message", out var key) is { } keyError)
        {
            return keyError;
        }

        if (OptionalString(root, "text", out var text) is { } textError)
        {
            return textError;
        }

        if ((key is null) == (text is null))
        {
            return new(RejectionReason.MissingField, "a warn command needs exactly one of message (a recorded message's key) and text");
        }

        if (key is not null && !Topics.IsValidId(key))
        {
            return new(RejectionReason.InvalidValue, $"message '{JsonPayload.Truncate(key)}' is not a valid key");
        }

        if (text is not null && (text.Length is 0 or > MaxWarnTextLength || text.Any(char.IsControl)))
        {
            return new(RejectionReason.InvalidValue, $"text must be 1 to {MaxWarnTextLength} characters without control characters");
        }

        return Done(new WarnCommand(id, target, key, text), out command);
    }

    private static Rejection? RequireHeader(JsonElement root, out string? id)
    {
        id = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return new(RejectionReason.WrongType, "the payload must be a JSON object");
        }

        // The id first: a command with a readable id gets its rejection as a reply.
        if (JsonPayload.RequireString(root, "id", out var text) is { } idError)
        {
            return idError;
        }

        id = text;
        if (!root.TryGetProperty("v", out var version))
        {
            return JsonPayload.Missing("v");
        }

        return version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var v) || v != Version
            ? new(RejectionReason.UnsupportedVersion, $"v is {JsonPayload.Truncate(version.GetRawText())}, this receiver reads {Version}")
            : null;
    }

    private static Rejection? Parse(ReadOnlySpan<byte> payload, out JsonDocument? document)
    {
        document = null;
        if (payload.Length > MaxPayloadBytes)
        {
            return new(RejectionReason.TooLarge, $"{payload.Length} bytes, limit {MaxPayloadBytes}");
        }

        if (JsonPayload.NotUtf8(payload) is { } notUtf8)
        {
            return notUtf8;
        }

        try
        {
            // JsonDocument.Parse refuses trailing data itself.
            document = JsonDocument.Parse(payload.ToArray(), DocumentOptions);
            if (JsonPayload.LoneSurrogate(document.RootElement) is { } unreadable)
            {
                document.Dispose();
                document = null;
                return unreadable;
            }

            return null;
        }
        catch (JsonException ex)
        {
            return new(RejectionReason.NotJson, ex.Message);
        }
    }

    private static Rejection? OptionalString(JsonElement root, string name, out string? value)
    {
        value = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return new(RejectionReason.WrongType, $"{name} must be a string");
        }

        value = element.GetString();
        return null;
    }

    private static Rejection? RequireBoolean(JsonElement root, string name, out bool value)
    {
        value = false;
        if (!root.TryGetProperty(name, out var element))
        {
            return JsonPayload.Missing(name);
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return new(RejectionReason.WrongType, $"{name} must be true or false");
        }

        value = element.GetBoolean();
        return null;
    }

    private static Rejection? Done(GatewayCommand parsed, out GatewayCommand? command)
    {
        command = parsed;
        return null;
    }

    private static string Checked(string id, string field) =>
        Topics.IsValidId(id) ? id : throw new ArgumentException($"{field} '{id}' is not a valid identifier (letters, digits, '-', '_'; 1-64).", field);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
