using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;
using System.Text;
using EdgeSafety.Mqtt.Native;
using Microsoft.Extensions.Logging;

namespace EdgeSafety.Mqtt;

/// <summary>
/// An MQTT 3.1.1 client over libmosquitto 2.0.11, optionally over TLS, run by its own network thread, which
/// reconnects with a growing delay after any failure (TLS ones included) and re-makes the subscriptions after every CONNACK.
/// </summary>
/// <remarks>
/// <para>
/// Callbacks (<see cref="MessageReceived"/>, <see cref="ConnectionChanged"/>) run on the network thread, one at a
/// time. Do not block there: in particular never wait synchronously for <see cref="PublishAsync"/>,
/// <see cref="SubscribeAsync"/> or <see cref="DisconnectAsync"/>, which need that thread to complete.
/// </para>
/// <para>
/// Messages are handed to libmosquitto in the order of the <see cref="PublishAsync"/> calls, including calls that
/// had to wait for an in-flight slot, and libmosquitto sends them in that order.
/// </para>
/// <para>
/// Dispose it (<see cref="DisposeAsync"/>): libmosquitto holds a handle to it, so an abandoned client is never collected
/// and, once connected, keeps its connection.
/// </para>
/// </remarks>
public sealed partial class MqttClient : IAsyncDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly MqttClientOptions _options;
    private readonly ILogger<MqttClient> _logger;
    private readonly string _endpoint;
    private readonly MosquittoHandle _handle;
    private GCHandle _self;

    /// <summary>Guards the fields below it. Never held while calling user code or while waiting for the network thread.</summary>
    private readonly Lock _sync = new();
    private readonly Dictionary<int, TaskCompletionSource> _pendingPublishes = [];
    private readonly Dictionary<string, MqttQos> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource>> _subscribeWaiters = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _subscribeMids = [];
    private TaskCompletionSource? _firstConnack;
    private LifeCycle _lifeCycle;
    private Task? _stopped;
    private bool _connected;
    private bool _unreachableReported;
    private int _inflightCount;

    /// <summary>Unacknowledged QoS 1 publishes: taken before mosquitto_publish, given back in on_publish.</summary>
    private readonly SemaphoreSlim _inflightSlots;

    /// <summary>Admits publishers one at a time, first come first served, so that waiting for a slot keeps their order.</summary>
    private readonly SemaphoreSlim _publishOrder = new(1, 1);

    /// <summary>Cancelled when the client stops: the network thread then disconnects cleanly and ends.</summary>
    private readonly CancellationTokenSource _stopping = new();
    private Thread? _networkThread;
    private readonly TaskCompletionSource _networkThreadEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Action<MqttMessage>? _messageReceived;
    private long _handlerFailures;
    private long _callbackFailures;
    private int _disposed;

    public MqttClient(MqttClientOptions options, ILogger<MqttClient> logger, MqttWill? will = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        if (will is not null)
        {
            ValidateTopic(will.Topic, isFilter: false, nameof(will));
            ValidateQos(will.Qos, nameof(will));
            ArgumentNullException.ThrowIfNull(will.Payload, nameof(will));
        }

        _options = Snapshot(options);
        _logger = logger;
        _endpoint = $"{_options.Host}:{_options.Port}";
        _inflightSlots = new SemaphoreSlim(_options.MaxInflightMessages, _options.MaxInflightMessages);

        Mosquitto.EnsureLibraryInitialized();
        _self = GCHandle.Alloc(this);
        try
        {
            var clientId = string.IsNullOrEmpty(_options.ClientId) ? null : _options.ClientId;
            _handle = Mosquitto.mosquitto_new(clientId, _options.CleanSession, GCHandle.ToIntPtr(_self));
            if (_handle.IsInvalid)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new MqttException(Mosquitto.MOSQ_ERR_ERRNO,
                    $"mosquitto_new failed for client id '{_options.ClientId}' ({_endpoint}): {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            Configure(will);
        }
        catch
        {
            _handle?.Dispose();
            _self.Free();
            throw;
        }
    }

    /// <summary>
    /// Invoked on the network thread for each received message. Set it before <see cref="ConnectAsync"/>: a persistent
    /// session delivers its queued messages right after the CONNACK. An exception from it is caught, logged and counted
    /// in <see cref="HandlerFailures"/>.
    /// </summary>
    /// <remarks>
    /// The QoS 1 PUBACK reaches the broker only after the handler has returned: libmosquitto 2.0.11 queues it just before
    /// calling on_message (lib/handle_publish.c, handle__publish), but in threaded mode only the network thread
    /// writes (lib/packet_mosq.c, packet__queue), and that thread is running the handler. If the process dies inside the
    /// handler, the broker delivers the message again (to a persistent session). A handler that returns, normally or by
    /// throwing, has taken the message: finish or hand off durable work before returning. While it runs, nothing else is
    /// sent or received; blocking it for longer than 1.5 × KeepAliveSeconds makes the broker drop the connection.
    /// </remarks>
    public Action<MqttMessage>? MessageReceived
    {
        get => Volatile.Read(ref _messageReceived);
        set => Volatile.Write(ref _messageReceived, value);
    }

    /// <summary>
    /// True on each successful CONNACK, false when that connection ends (raised on the network thread, alternating).
    /// Exceptions from handlers are caught, logged and counted in <see cref="HandlerFailures"/>.
    /// </summary>
    public event Action<bool>? ConnectionChanged;

    public bool IsConnected
    {
        get
        {
            lock (_sync)
            {
                return _connected;
            }
        }
    }

    /// <summary>Exceptions thrown by <see cref="MessageReceived"/> or <see cref="ConnectionChanged"/> handlers.</summary>
    public long HandlerFailures => Interlocked.Read(ref _handlerFailures);

    /// <summary>Exceptions inside this binding's own callback code (a bug: each is logged as an error). Zero in a healthy client.</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    /// <summary>QoS 1 publishes handed to libmosquitto and not yet acknowledged; never more than MaxInflightMessages.</summary>
    public int InflightCount => Volatile.Read(ref _inflightCount);

    /// <summary>
    /// Starts the network thread and completes at the first successful CONNACK. A refused CONNACK, or a TLS failure (the
    /// broker's certificate not trusted or not naming Host, a client certificate refused), throws an
    /// <see cref="MqttException"/> with the broker's or OpenSSL's reason. A broker that is down or unreachable is retried
    /// in the background (exponential backoff from the options) until the token is cancelled. Call it once: when it
    /// fails or is cancelled, the client is finished as after <see cref="DisconnectAsync"/> (create a new one to try
    /// again). After the first CONNACK, every failure (TLS ones included) is retried with the backoff.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource connected;
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_lifeCycle == LifeCycle.Stopped, this);
            if (_lifeCycle == LifeCycle.Running)
            {
                throw new InvalidOperationException("ConnectAsync was already called.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            _lifeCycle = LifeCycle.Running;
            _unreachableReported = false;
            connected = _firstConnack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _networkThread = new Thread(RunNetwork) { IsBackground = true, Name = $"mqtt {_endpoint}" };
            _networkThread.Start();
        }

        try
        {
            await connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Refused, TLS failure, cancelled or disconnected: stop retrying, and the client is finished (a stopped
            // libmosquitto client is left "disconnected"; create a new one to try again).
            await DisconnectAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// QoS 1: completes when the broker's PUBACK arrives. The message survives reconnects (libmosquitto sends it again),
    /// also when it was published while the broker was unreachable. At most MaxInflightMessages are unacknowledged: further
    /// calls wait for a slot, in call order. Cancelling after the message was handed over stops the wait, not the delivery.
    /// QoS 0: completes when the library has taken the message; throws an <see cref="MqttException"/> when not connected.
    /// </summary>
    public async Task PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain = false,
        CancellationToken cancellationToken = default)
    {
        ValidateTopic(topic, isFilter: false, nameof(topic));
        ValidateQos(qos, nameof(qos));
        if (payload.Length > Mosquitto.MQTT_MAX_PAYLOAD)
        {
            throw new ArgumentException($"The payload is {payload.Length} bytes; MQTT allows at most {Mosquitto.MQTT_MAX_PAYLOAD}.", nameof(payload));
        }

        ThrowIfStopped();
        Task acknowledged;
        await _publishOrder.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (qos == MqttQos.AtLeastOnce)
            {
                await TakeInflightSlotAsync(cancellationToken).ConfigureAwait(false);
            }

            acknowledged = HandOver(topic, payload, qos, retain);
        }
        finally
        {
            _publishOrder.Release();
        }

        await acknowledged.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes on the SUBACK. The subscription is made again after every reconnect (needed with clean sessions).
    /// Called while disconnected, it completes on the SUBACK after the next CONNACK.
    /// </summary>
    public async Task SubscribeAsync(string topicFilter, MqttQos qos, CancellationToken cancellationToken = default)
    {
        ValidateTopic(topicFilter, isFilter: true, nameof(topicFilter));
        ValidateQos(qos, nameof(qos));
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_lifeCycle == LifeCycle.Stopped, this);
            _subscriptions[topicFilter] = qos;
            if (!_subscribeWaiters.TryGetValue(topicFilter, out var waiters))
            {
                _subscribeWaiters[topicFilter] = waiters = [];
            }

            waiters.Add(subscribed);
            if (_connected)
            {
                var rc = SendSubscribe(topicFilter, qos);
                if (rc != Mosquitto.MOSQ_ERR_SUCCESS && rc != Mosquitto.MOSQ_ERR_NO_CONN)
                {
                    // MOSQ_ERR_NO_CONN: the connection just ended; the next CONNACK subscribes again.
                    _subscriptions.Remove(topicFilter);
                    _subscribeWaiters.Remove(topicFilter);
                    throw Failure(rc, $"mosquitto_subscribe to '{topicFilter}'");
                }
            }
        }

        await subscribed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a clean DISCONNECT (the broker discards the will) and stops the network thread. Final: create a new client
    /// to connect again. Publishes and subscriptions still waiting fail with an <see cref="OperationCanceledException"/>;
    /// later calls throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public Task DisconnectAsync()
    {
        lock (_sync)
        {
            _lifeCycle = LifeCycle.Stopped;
            return _stopped ??= Task.Run(StopAsync);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The network thread has ended (StopNetworkAsync waited for it): no callback can use the handle or _self now.
            _handle.Dispose();
            _self.Free();
            _stopping.Dispose();
        }
    }

    private async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await StopNetworkAsync().ConfigureAwait(false);
        TaskCompletionSource? firstConnack;
        List<TaskCompletionSource> waiting;
        bool wasConnected;
        lock (_sync)
        {
            firstConnack = _firstConnack;
            _firstConnack = null;
            waiting = [.. _pendingPublishes.Values, .. _subscribeWaiters.Values.SelectMany(w => w)];
            _pendingPublishes.Clear();
            _subscribeWaiters.Clear();
            _subscribeMids.Clear();
            _inflightCount = 0;
            wasConnected = _connected;
            _connected = false;
        }

        firstConnack?.TrySetCanceled();
        foreach (var pending in waiting)
        {
            pending.TrySetException(new OperationCanceledException(
                $"The MQTT client for {_endpoint} was disconnected before the broker acknowledged this."));
        }

        if (wasConnected)
        {
            // The DISCONNECT could not be written (connection already broken): report the end of the connection here.
            RaiseConnectionChanged(false);
        }
    }

    private unsafe void Configure(MqttWill? will)
    {
        SetCallbacks();
        // Our own thread runs the loop (RunNetwork): calls from other threads only queue packets and wake it.
        Check(Mosquitto.mosquitto_threaded_set(_handle, true), "mosquitto_threaded_set");
        Check(Mosquitto.mosquitto_int_option(_handle, Mosquitto.MOSQ_OPT_PROTOCOL_VERSION, Mosquitto.MQTT_PROTOCOL_V311), "MOSQ_OPT_PROTOCOL_VERSION");
        // The same setting as mosquitto_max_inflight_messages_set (lib/messages_mosq.c calls this option), so that
        // libmosquitto never holds back a publish our semaphore let through.
        Check(Mosquitto.mosquitto_int_option(_handle, Mosquitto.MOSQ_OPT_SEND_MAXIMUM, _options.MaxInflightMessages), "MOSQ_OPT_SEND_MAXIMUM");
        // Alarms are small and latency matters more than packing them.
        Check(Mosquitto.mosquitto_int_option(_handle, Mosquitto.MOSQ_OPT_TCP_NODELAY, 1), "MOSQ_OPT_TCP_NODELAY");
        if (_options.TlsCaFile is not null)
        {
            // libmosquitto verifies the broker's certificate chain and that it names Host (tls_insecure stays false).
            Check(Mosquitto.mosquitto_tls_set(_handle, _options.TlsCaFile, null, _options.TlsCertFile, _options.TlsKeyFile, nint.Zero),
                $"mosquitto_tls_set (CA file '{_options.TlsCaFile}')");
        }

        if (_options.Username is not null)
        {
            Check(Mosquitto.mosquitto_username_pw_set(_handle, _options.Username, _options.Password), "mosquitto_username_pw_set");
        }

        if (will is not null)
        {
            fixed (byte* payload = will.Payload)
            {
                Check(Mosquitto.mosquitto_will_set(_handle, will.Topic, will.Payload.Length, payload, (int)will.Qos, will.Retain),
                    $"mosquitto_will_set for '{will.Topic}'");
            }
        }
    }

    private async Task TakeInflightSlotAsync(CancellationToken cancellationToken)
    {
        if (_inflightSlots.Wait(0))
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await _inflightSlots.WaitAsync(either.Token).ConfigureAwait(false);
    }

    /// <summary>Calls mosquitto_publish and, for QoS 1, registers the acknowledgement under the lock that on_publish takes.</summary>
    private unsafe Task HandOver(string topic, ReadOnlyMemory<byte> payload, MqttQos qos, bool retain)
    {
        using var pinned = payload.Pin();
        var mid = 0;
        TaskCompletionSource? displaced = null;
        Task acknowledged;
        lock (_sync)
        {
            if (_lifeCycle == LifeCycle.Stopped)
            {
                ReleaseSlotIf(qos);
                throw new ObjectDisposedException(nameof(MqttClient));
            }

            // The lock is held across the call so that on_publish (which takes it) cannot see the mid before it is
            // registered. libmosquitto runs callbacks holding only its callback mutex (and, for QoS 0, the current
            // packet mutex), neither of which mosquitto_publish takes: no deadlock.
            var rc = Mosquitto.mosquitto_publish(_handle, &mid, topic, payload.Length, (byte*)pinned.Pointer, (int)qos, retain);
            if (qos == MqttQos.AtMostOnce)
            {
                if (rc != Mosquitto.MOSQ_ERR_SUCCESS)
                {
                    throw Failure(rc, $"QoS 0 publish to '{topic}' (not sent)");
                }

                return Task.CompletedTask;
            }

            // MOSQ_ERR_NO_CONN at QoS 1: the message is already queued (lib/actions.c mosquitto_publish_v5 queues it
            // before sending) and is sent after the next CONNACK (lib/messages_mosq.c message__retry_check).
            if (rc != Mosquitto.MOSQ_ERR_SUCCESS && rc != Mosquitto.MOSQ_ERR_NO_CONN)
            {
                ReleaseSlotIf(qos);
                throw Failure(rc, $"QoS 1 publish to '{topic}'");
            }

            var pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_pendingPublishes.Remove(mid, out displaced))
            {
                _inflightCount--;
            }

            _pendingPublishes.Add(mid, pending);
            _inflightCount++;
            acknowledged = pending.Task;
        }

        if (displaced is not null)
        {
            // Only after 65,535 further message ids without this PUBACK (QoS 0 ids count too).
            _inflightSlots.Release();
            displaced.TrySetException(new MqttException($"Message id {mid} was reused before the broker acknowledged it ({_endpoint})."));
        }

        return acknowledged;
    }

    private void ReleaseSlotIf(MqttQos qos)
    {
        if (qos == MqttQos.AtLeastOnce)
        {
            _inflightSlots.Release();
        }
    }

    /// <summary>Must be called holding <see cref="_sync"/>.</summary>
    private unsafe int SendSubscribe(string topicFilter, MqttQos qos)
    {
        var mid = 0;
        var rc = Mosquitto.mosquitto_subscribe(_handle, &mid, topicFilter, (int)qos);
        if (rc == Mosquitto.MOSQ_ERR_SUCCESS)
        {
            _subscribeMids[mid] = topicFilter;
        }

        return rc;
    }

    private void ThrowIfStopped()
    {
        lock (_sync)
        {
            ObjectDisposedException.ThrowIf(_lifeCycle == LifeCycle.Stopped, this);
        }
    }

    private void Check(int rc, string what)
    {
        if (rc != Mosquitto.MOSQ_ERR_SUCCESS)
        {
            throw Failure(rc, what);
        }
    }

    private MqttException Failure(int rc, string what) =>
        new(rc, $"{what} failed ({_endpoint}): {Mosquitto.ErrorString(rc)}");

    private static void ValidateQos(MqttQos qos, string paramName)
    {
        if (qos is not (MqttQos.AtMostOnce or MqttQos.AtLeastOnce))
        {
            throw new ArgumentOutOfRangeException(paramName, qos, "Only QoS 0 and QoS 1 are supported.");
        }
    }

    private static void ValidateTopic(string topic, bool isFilter, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic, paramName);
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(topic);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The topic \"{topic}\" is not valid Unicode (it has a lone surrogate).", paramName, ex);
        }

        if (byteCount > ushort.MaxValue)
        {
            throw new ArgumentException($"The topic is {byteCount} bytes in UTF-8; MQTT allows at most {ushort.MaxValue}.", paramName);
        }

        if (topic.Contains('\0', StringComparison.Ordinal) || Mosquitto.mosquitto_validate_utf8(topic, byteCount) != Mosquitto.MOSQ_ERR_SUCCESS)
        {
            throw new ArgumentException($"The topic \"{topic}\" has characters MQTT does not allow (NUL, control characters or non-characters).", paramName);
        }

        if (isFilter && Mosquitto.mosquitto_sub_topic_check(topic) != Mosquitto.MOSQ_ERR_SUCCESS)
        {
            throw new ArgumentException($"\"{topic}\" is not a valid topic filter: '+' and '#' must each fill a whole level, and '#' must come last.", paramName);
        }

        if (!isFilter && Mosquitto.mosquitto_pub_topic_check(topic) != Mosquitto.MOSQ_ERR_SUCCESS)
        {
            throw new ArgumentException($"\"{topic}\" is not a topic one can publish to: it must not contain the wildcards '+' or '#'.", paramName);
        }
    }

    private static MqttClientOptions Snapshot(MqttClientOptions options) => new()
    {
        Host = options.Host,
        Port = options.Port,
        ClientId = options.ClientId ?? "",
        CleanSession = options.CleanSession,
        Username = options.Username,
        Password = options.PasswordFile is null ? options.Password : SecretFile.Read(options.PasswordFile),
        KeepAliveSeconds = options.KeepAliveSeconds,
        ReconnectDelayMinSeconds = options.ReconnectDelayMinSeconds,
        ReconnectDelayMaxSeconds = options.ReconnectDelayMaxSeconds,
        MaxInflightMessages = options.MaxInflightMessages,
        TlsCaFile = options.TlsCaFile,
        TlsCertFile = options.TlsCertFile,
        TlsKeyFile = options.TlsKeyFile,
    };

    private enum LifeCycle
    {
        New,
        Running,
        Stopped,
    }
}
