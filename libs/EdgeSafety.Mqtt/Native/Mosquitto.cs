using System.Runtime.InteropServices;

namespace EdgeSafety.Mqtt.Native;

/// <summary>
/// P/Invoke declarations for libmosquitto 2.0.11. Every constant is copied from /usr/include/mosquitto.h or
/// /usr/include/mqtt_protocol.h (Debian package libmosquitto-dev 2.0.11); the comment on each says which.
/// </summary>
internal static unsafe partial class Mosquitto
{
    /// <summary>The full soname: the short name "mosquitto" only resolves where the -dev package is installed.</summary>
    private const string Library = "libmosquitto.so.1";

    // enum mosq_err_t, /usr/include/mosquitto.h
    public const int MOSQ_ERR_SUCCESS = 0;
    public const int MOSQ_ERR_NOMEM = 1;
    public const int MOSQ_ERR_INVAL = 3;
    public const int MOSQ_ERR_NO_CONN = 4;
    public const int MOSQ_ERR_CONN_REFUSED = 5;
    public const int MOSQ_ERR_TLS = 8;
    public const int MOSQ_ERR_ACL_DENIED = 12;
    public const int MOSQ_ERR_ERRNO = 14;
    public const int MOSQ_ERR_EAI = 15;
    public const int MOSQ_ERR_MALFORMED_UTF8 = 18;

    // enum mosq_opt_t, /usr/include/mosquitto.h
    public const int MOSQ_OPT_PROTOCOL_VERSION = 1;
    public const int MOSQ_OPT_SEND_MAXIMUM = 5;
    public const int MOSQ_OPT_TCP_NODELAY = 11;

    // #define MQTT_PROTOCOL_V311, /usr/include/mosquitto.h
    public const int MQTT_PROTOCOL_V311 = 4;

    // #define MOSQ_LOG_ERR, /usr/include/mosquitto.h
    public const int MOSQ_LOG_ERR = 1 << 3;

    // #define MQTT_MAX_PAYLOAD 268435455U, /usr/include/mqtt_protocol.h
    public const int MQTT_MAX_PAYLOAD = 268435455;

    // MQTT_RC_UNSPECIFIED = 128 (the MQTT 3.1.1 SUBACK "failure" return code 0x80), /usr/include/mqtt_protocol.h
    public const int MQTT_RC_UNSPECIFIED = 128;

    /// <summary>
    /// struct mosquitto_message, /usr/include/mosquitto.h:
    /// { int mid; char *topic; void *payload; int payloadlen; int qos; bool retain; }.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Message
    {
        public int Mid;
        public byte* Topic;
        public byte* Payload;
        public int PayloadLength;
        public int Qos;
        public byte Retain;
    }

    /// <summary>mosquitto_lib_init, once per process: the type initializer runs exactly once, thread-safe.</summary>
    private static readonly int LibraryInitResult = mosquitto_lib_init();

    public static void EnsureLibraryInitialized()
    {
        if (LibraryInitResult != MOSQ_ERR_SUCCESS)
        {
            throw new MqttException(LibraryInitResult, $"mosquitto_lib_init failed: {ErrorString(LibraryInitResult)}");
        }
    }

    /// <summary>mosquitto_strerror returns a static string: read it, never free it.</summary>
    public static string ErrorString(int error) =>
        Marshal.PtrToStringUTF8((nint)mosquitto_strerror(error)) ?? $"error {error}";

    public static string ConnackString(int code) =>
        Marshal.PtrToStringUTF8((nint)mosquitto_connack_string(code)) ?? $"CONNACK {code}";

    [LibraryImport(Library)]
    private static partial int mosquitto_lib_init();

    [LibraryImport(Library)]
    private static partial byte* mosquitto_strerror(int mosqErrno);

    [LibraryImport(Library)]
    private static partial byte* mosquitto_connack_string(int connackCode);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial MosquittoHandle mosquitto_new(string? id, [MarshalAs(UnmanagedType.U1)] bool cleanSession, nint obj);

    [LibraryImport(Library)]
    public static partial void mosquitto_destroy(nint mosq);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_will_set(MosquittoHandle mosq, string topic, int payloadLength, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_username_pw_set(MosquittoHandle mosq, string? username, string? password);

    [LibraryImport(Library)]
    public static partial int mosquitto_int_option(MosquittoHandle mosq, int option, int value);

    /// <summary>cafile, capath, certfile, keyfile, pw_callback (null: the key file must not be encrypted).</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_tls_set(MosquittoHandle mosq, string cafile, string? capath, string? certfile, string? keyfile, nint pwCallback);

    /// <summary>true: another thread (ours) runs mosquitto_loop, so calls from other threads only queue and wake it.</summary>
    [LibraryImport(Library)]
    public static partial int mosquitto_threaded_set(MosquittoHandle mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int mosquitto_connect_async(MosquittoHandle mosq, string host, int port, int keepalive);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int mosquitto_reconnect_async(MosquittoHandle mosq);

    [LibraryImport(Library)]
    public static partial int mosquitto_disconnect(MosquittoHandle mosq);

    /// <summary>One pass of the network loop: waits up to timeout ms for the socket (or a wake-up from another thread).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial int mosquitto_loop(MosquittoHandle mosq, int timeout, int maxPackets);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_publish(MosquittoHandle mosq, int* mid, string topic, int payloadLength, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_subscribe(MosquittoHandle mosq, int* mid, string sub, int qos);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_pub_topic_check(string topic);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_sub_topic_check(string topic);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mosquitto_validate_utf8(string text, int length);

    [LibraryImport(Library)]
    public static partial void mosquitto_connect_callback_set(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, void> onConnect);

    [LibraryImport(Library)]
    public static partial void mosquitto_disconnect_callback_set(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, void> onDisconnect);

    [LibraryImport(Library)]
    public static partial void mosquitto_publish_callback_set(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, void> onPublish);

    [LibraryImport(Library)]
    public static partial void mosquitto_message_callback_set(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, Message*, void> onMessage);

    [LibraryImport(Library)]
    public static partial void mosquitto_subscribe_callback_set(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, int, int*, void> onSubscribe);

    [LibraryImport(Library)]
    public static partial void mosquitto_log_callback_set(MosquittoHandle mosq, delegate* unmanaged[Cdecl]<nint, nint, int, byte*, void> onLog);
}

/// <summary>Owns one <c>struct mosquitto*</c>; releasing it calls mosquitto_destroy.</summary>
internal sealed class MosquittoHandle : SafeHandle
{
    public MosquittoHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle()
    {
        Mosquitto.mosquitto_destroy(handle);
        return true;
    }
}
