namespace EdgeSafety.Mqtt;

/// <summary>The MQTT delivery guarantees this platform uses (QoS 2 is not used).</summary>
public enum MqttQos
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
}

/// <summary>The message the broker publishes for a client whose connection ends without a clean DISCONNECT.</summary>
public sealed record MqttWill(string Topic, byte[] Payload, MqttQos Qos, bool Retain);

/// <summary>A received message. The payload is a copy owned by the receiver.</summary>
public sealed record MqttMessage(string Topic, byte[] Payload, MqttQos Qos, bool Retain);
