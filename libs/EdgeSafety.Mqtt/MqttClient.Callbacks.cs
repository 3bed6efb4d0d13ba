using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EdgeSafety.Mqtt.Native;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Mqtt;

/// <summary>
/// libmosquitto's callbacks. They run on the network thread (inside mosquitto_loop), holding its callback mutex. The
/// obj/userdata pointer is a GCHandle to the client. An exception escaping into native code would end the process,
/// so each entry point catches everything, logs it and counts it.
/// </summary>
public sealed unsafe partial class MqttClient
{
    private void SetCallbacks()
    {
        Mosquitto.mosquitto_connect_callback_set(_handle, &OnConnect);
        Mosquitto.mosquitto_disconnect_callback_set(_handle, &OnDisconnect);
        Mosquitto.mosquitto_publish_callback_set(_handle, &OnPublish);
        Mosquitto.mosquitto_message_callback_set(_handle, &OnMessage);
        Mosquitto.mosquitto_subscribe_callback_set(_handle, &OnSubscribe);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            // libmosquitto formats a line for every packet once a log callback is set: only pay for that when asked.
            SetLibraryLog(true);
        }
    }

    private void SetLibraryLog(bool on) => Mosquitto.mosquitto_log_callback_set(_handle, on ? &OnLog : null);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnConnect(nint mosq, nint obj, int rc) =>
        Dispatch(obj, rc, nameof(OnConnect), static (client, rc) => client.HandleConnect(rc));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnDisconnect(nint mosq, nint obj, int rc) =>
        // For MOSQ_ERR_ERRNO the reason is in errno: read it before anything else can change it.
        Dispatch(obj, (rc, Errno: Marshal.GetLastSystemError()), nameof(OnDisconnect),
            static (client, args) => client.HandleDisconnect(args.rc, args.Errno));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnPublish(nint mosq, nint obj, int mid) =>
        Dispatch(obj, mid, nameof(OnPublish), static (client, mid) => client.HandlePublished(mid));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMessage(nint mosq, nint obj, Mosquitto.Message* message) =>
        Dispatch(obj, (nint)message, nameof(OnMessage), static (client, message) => client.HandleMessage((Mosquitto.Message*)message));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnSubscribe(nint mosq, nint obj, int mid, int qosCount, int* grantedQos) =>
        Dispatch(obj, (mid, qosCount, Granted: (nint)grantedQos), nameof(OnSubscribe),
            static (client, args) => client.HandleSubscribed(args.mid, args.qosCount, (int*)args.Granted));

    /// <summary>May run on any thread that called into libmosquitto, holding its locks (and ours): it only logs.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnLog(nint mosq, nint obj, int level, byte* text) =>
        Dispatch(obj, (level, Text: (nint)text), nameof(OnLog), static (client, args) => client.HandleLog(args.level, (byte*)args.Text));

    /// <summary>Finds the client behind libmosquitto's obj pointer and runs the handler; nothing escapes.</summary>
    private static void Dispatch<TArgs>(nint obj, TArgs args, string callback, Action<MqttClient, TArgs> handle)
    {
        MqttClient? client = null;
        try
        {
            client = FromUserData(obj);
            if (client is not null)
            {
                handle(client, args);
            }
        }
        catch (Exception ex)
        {
            ReportCallbackFailure(client, callback, ex);
        }
    }

    private static MqttClient? FromUserData(nint obj) =>
        obj == nint.Zero ? null : GCHandle.FromIntPtr(obj).Target as MqttClient;

    private static void ReportCallbackFailure(MqttClient? client, string callback, Exception exception)
    {
        try
        {
            if (client is not null)
            {
                Interlocked.Increment(ref client._callbackFailures);
                MqttLog.CallbackFailed(client._logger, callback, exception);
            }
        }
#pragma warning disable CA1031 // Nothing may escape into native code, not even a failing logger.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private void HandleConnect(int connackCode)
    {
        if (connackCode != 0)
        {
            HandleRefused(connackCode);
            return;
        }

        _failedAttempts = 0;
        if (_options.TlsCaFile is not null && !_logger.IsEnabled(LogLevel.Debug))
        {
            // Listened only to learn why a handshake fails (StartAttempt). Not inside on_log: this takes its mutex.
            SetLibraryLog(false);
        }

        TaskCompletionSource? firstConnack;
        lock (_sync)
        {
            _connected = true;
            _unreachableReported = false;
            // SUBACKs still owed by an earlier connection will never come.
            _subscribeMids.Clear();
            foreach (var (filter, qos) in _subscriptions)
            {
                // Queued before libmosquitto resends the unacknowledged publishes (lib/handle_connack.c calls the
                // callback, then message__retry_check), so our own resent messages find the subscription in place.
                var rc = SendSubscribe(filter, qos);
                if (rc != Mosquitto.MOSQ_ERR_SUCCESS)
                {
                    MqttLog.ResubscribeFailed(_logger, filter, _endpoint, Mosquitto.ErrorString(rc));
                }
            }

            firstConnack = _firstConnack;
            _firstConnack = null;
        }

        MqttLog.Connected(_logger, _endpoint, _options.ClientId);
        RaiseConnectionChanged(true);
        firstConnack?.TrySetResult();
    }

    private void HandleRefused(int connackCode)
    {
        TaskCompletionSource? firstConnack;
        lock (_sync)
        {
            firstConnack = _firstConnack;
            _firstConnack = null;
        }

        var reason = Mosquitto.ConnackString(connackCode);
        if (firstConnack is null)
        {
            // Refused on a reconnect (credentials revoked, id taken...): nobody waits for this, so it is an error.
            // libmosquitto keeps retrying with the reconnect delay.
            MqttLog.ReconnectRefused(_logger, _endpoint, _options.ClientId, reason);
            return;
        }

        MqttLog.ConnectRefused(_logger, _endpoint, _options.ClientId, reason);
        firstConnack.TrySetException(new MqttException(Mosquitto.MOSQ_ERR_CONN_REFUSED, connackCode,
            $"{reason} (broker {_endpoint}, client id \"{_options.ClientId}\", user \"{_options.Username}\")"));
    }

    /// <summary>On the network thread: from on_disconnect, or from the loop when libmosquitto did not call it.</summary>
    private void HandleDisconnect(int rc, int errno)
    {
        _endReported = true;
        bool wasConnected;
        bool stopping;
        lock (_sync)
        {
            wasConnected = _connected;
            _connected = false;
            _subscribeMids.Clear();
            stopping = _lifeCycle == LifeCycle.Stopped;
            // A lost connection is reported below; the failed attempts after it are debug lines.
            _unreachableReported |= wasConnected;
        }

        if (!wasConnected)
        {
            // A refused CONNACK (MOSQ_ERR_CONN_REFUSED) was reported by HandleRefused already.
            if (!stopping && rc != Mosquitto.MOSQ_ERR_CONN_REFUSED)
            {
                AttemptFailed(rc, errno);
            }

            return;
        }

        if (stopping || rc == Mosquitto.MOSQ_ERR_SUCCESS)
        {
            MqttLog.Disconnected(_logger, _endpoint);
        }
        else
        {
            MqttLog.ConnectionLost(_logger, _endpoint, Reason(rc, errno));
        }

        RaiseConnectionChanged(false);
    }

    /// <summary>
    /// mosquitto_strerror(MOSQ_ERR_ERRNO) reads errno when called, which the runtime may have changed by then (it is
    /// often 0 already when the callback starts, e.g. on the network thread's first call into managed code).
    /// </summary>
    private static string Reason(int rc, int errno) => rc != Mosquitto.MOSQ_ERR_ERRNO ? Mosquitto.ErrorString(rc)
        : errno != 0 ? Marshal.GetPInvokeErrorMessage(errno) : "socket error";

    private void HandlePublished(int mid)
    {
        TaskCompletionSource? pending;
        lock (_sync)
        {
            // Unknown ids are QoS 0 publishes (on_publish reports them once written) or ones already given up on.
            if (!_pendingPublishes.Remove(mid, out pending))
            {
                return;
            }

            _inflightCount--;
        }

        _inflightSlots.Release();
        pending.TrySetResult();
    }

    private void HandleMessage(Mosquitto.Message* native)
    {
        var handler = MessageReceived;
        if (handler is null)
        {
            return;
        }

        // libmosquitto frees the message when the callback returns: copy everything out first.
        var topic = Marshal.PtrToStringUTF8((nint)native->Topic) ?? "";
        var payload = native->PayloadLength > 0 ? new ReadOnlySpan<byte>(native->Payload, native->PayloadLength).ToArray() : [];
        var message = new MqttMessage(topic, payload, native->Qos > 0 ? MqttQos.AtLeastOnce : MqttQos.AtMostOnce, native->Retain != 0);
        try
        {
            handler(message);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _handlerFailures);
            MqttLog.MessageHandlerFailed(_logger, topic, ex);
        }
    }

    private void HandleSubscribed(int mid, int qosCount, int* grantedQos)
    {
        string? filter;
        List<TaskCompletionSource>? waiters;
        // MQTT 3.1.1 SUBACK return code 0x80 is "failure"; libmosquitto passes it through as the granted QoS.
        var refused = qosCount < 1 || grantedQos[0] >= Mosquitto.MQTT_RC_UNSPECIFIED;
        lock (_sync)
        {
            if (!_subscribeMids.Remove(mid, out filter))
            {
                return;
            }

            _subscribeWaiters.Remove(filter, out waiters);
            if (refused)
            {
                _subscriptions.Remove(filter);
            }
        }

        if (!refused)
        {
            waiters?.ForEach(w => w.TrySetResult());
            return;
        }

        if (waiters is null)
        {
            MqttLog.ResubscribeRefused(_logger, filter, _endpoint);
            return;
        }

        var error = new MqttException(Mosquitto.MOSQ_ERR_ACL_DENIED, $"The broker {_endpoint} refused the subscription to \"{filter}\".");
        waiters.ForEach(w => w.TrySetException(error));
    }

    /// <summary>
    /// The library's lines are details (the client logs what matters in its own words, with the reason): debug only.
    /// An error line is kept as the reason of the current attempt's failure. No line carries the password: libmosquitto
    /// 2.0.11 logs the client id and packet types, never the CONNECT payload.
    /// </summary>
    private void HandleLog(int level, byte* text)
    {
        var line = Marshal.PtrToStringUTF8((nint)text) ?? "";
        if (level == Mosquitto.MOSQ_LOG_ERR)
        {
            _lastLibraryError = line;
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            MqttLog.Library(_logger, line);
        }
    }

    private void RaiseConnectionChanged(bool connected)
    {
        var handlers = ConnectionChanged;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<bool>>())
        {
            try
            {
                handler(connected);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _handlerFailures);
                MqttLog.ConnectionHandlerFailed(_logger, connected, ex);
            }
        }
    }
}
