namespace EdgeSafety.Mqtt;

/// <summary>
/// A failure reported by libmosquitto or the broker. The message holds mosquitto_strerror's or
/// mosquitto_connack_string's text and the context (host:port, topic).
/// </summary>
public sealed class MqttException : Exception
{
    public MqttException()
    {
    }

    public MqttException(string message)
        : base(message)
    {
    }

    public MqttException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MqttException(int nativeError, string message)
        : base(message)
    {
        NativeError = nativeError;
    }

    public MqttException(int nativeError, int connackCode, string message)
        : base(message)
    {
        NativeError = nativeError;
        ConnackCode = connackCode;
    }

    /// <summary>The libmosquitto error code (enum mosq_err_t in mosquitto.h); 5 (MOSQ_ERR_CONN_REFUSED) for a refused connection.</summary>
    public int NativeError { get; }

    /// <summary>For a refused connection: the broker's CONNACK return code (MQTT 3.1.1: 4 bad user name or password, 5 not authorised).</summary>
    public int? ConnackCode { get; }
}
