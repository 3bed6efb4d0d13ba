using System.Runtime.InteropServices;
using EdgeSafety.Mqtt.Native;

namespace EdgeSafety.Mqtt;

/// <summary>
/// The network thread. libmosquitto's own (mosquitto_loop_start) runs mosquitto_loop_forever, which returns for good on
/// a TLS failure (a handshake refused, a broken TLS record): the thread ends with no callback and the client is silently
/// dead. Ours calls mosquitto_loop itself and, after any failure, waits with exponential backoff and reconnects.
/// </summary>
public sealed partial class MqttClient
{
    /// <summary>mosquitto_loop's wait for the socket; packets queued by other threads and DISCONNECT wake it earlier.</summary>
    private const int LoopTimeoutMilliseconds = 1000;

    /// <summary>How long a stopping client may take to write its DISCONNECT before the thread gives up on it.</summary>
    private static readonly TimeSpan DisconnectGrace = TimeSpan.FromSeconds(2);

    /// <summary>Failed attempts since the last CONNACK; only the network thread touches it.</summary>
    private int _failedAttempts;

    /// <summary>The last error line libmosquitto logged during the current attempt (OpenSSL's reason for a TLS failure).</summary>
    private volatile string? _lastLibraryError;

    /// <summary>
    /// Whether the end of the current attempt or connection was reported. libmosquitto 2.0.11 calls on_disconnect for a
    /// lost connection, but not when the TLS handshake fails inside mosquitto_loop (seen: the loop returns MOSQ_ERR_TLS
    /// and nothing else happens), so the loop reports what the callback did not. Network thread only.
    /// </summary>
    private bool _endReported;

    private void RunNetwork()
    {
        try
        {
            // The documented order: connect, then the loop. mosquitto_connect_async resolves the host name here, on
            // this thread, and leaves the TCP connect and the TLS handshake to mosquitto_loop.
            var rc = StartAttempt(first: true);
            DateTime? giveUpAt = null;
            while (true)
            {
                if (rc == Mosquitto.MOSQ_ERR_SUCCESS)
                {
                    rc = Mosquitto.mosquitto_loop(_handle, LoopTimeoutMilliseconds, 1);
                    if (rc != Mosquitto.MOSQ_ERR_SUCCESS && !_endReported)
                    {
                        HandleDisconnect(rc, Marshal.GetLastPInvokeError());
                    }
                }

                if (_stopping.IsCancellationRequested)
                {
                    // Keep looping until the DISCONNECT is written (the loop then reports no connection), so that the
                    // broker discards the will; bounded, for a connection that no longer moves.
                    giveUpAt ??= DateTime.UtcNow + DisconnectGrace;
                    if (rc != Mosquitto.MOSQ_ERR_SUCCESS || DateTime.UtcNow > giveUpAt)
                    {
                        return;
                    }

                    continue;
                }

                if (rc == Mosquitto.MOSQ_ERR_SUCCESS)
                {
                    continue;
                }

                // The connection or the attempt ended, and was reported; libmosquitto has closed the socket.
                if (_stopping.Token.WaitHandle.WaitOne(ReconnectDelay(_failedAttempts++)))
                {
                    return;
                }

                rc = StartAttempt(first: false);
                if (_stopping.IsCancellationRequested)
                {
                    // DisconnectAsync may have run between the wait and the reconnect: say it again on this connection.
                    Mosquitto.mosquitto_disconnect(_handle);
                }
            }
        }
        catch (Exception ex)
        {
            // A bug in this file: nothing else can throw here. Report it rather than end the process.
            ReportCallbackFailure(this, nameof(RunNetwork), ex);
        }
        finally
        {
            _networkThreadEnded.TrySetResult();
        }
    }

    /// <summary>Starts a connection (TCP connect, then TLS handshake and CONNECT in the loop); reports a failure at once.</summary>
    private int StartAttempt(bool first)
    {
        _lastLibraryError = null;
        _endReported = false;
        if (_options.TlsCaFile is not null && !_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            // Only the library's log says why a handshake failed. It formats a line per packet once a callback is set,
            // so listen only while connecting (HandleConnect stops it).
            SetLibraryLog(true);
        }

        var rc = first
            ? Mosquitto.mosquitto_connect_async(_handle, _options.Host, _options.Port, _options.KeepAliveSeconds)
            : Mosquitto.mosquitto_reconnect_async(_handle);
        var errno = Marshal.GetLastPInvokeError();
        if (rc != Mosquitto.MOSQ_ERR_SUCCESS)
        {
            _endReported = true;
            AttemptFailed(rc, errno);
        }

        return rc;
    }

    /// <summary>
    /// A connection attempt failed before its CONNACK (a refused CONNACK is HandleRefused's). A failure that waiting
    /// rarely cures (TLS: wrong CA, a missing or refused client certificate, a name mismatch; or bad arguments) fails
    /// the first ConnectAsync with the reason, and is an error on a reconnect; any other is retried, with a warning
    /// for the first and debug lines for the rest. With TLS 1.3 a refused client certificate arrives as a lost
    /// connection after the client's side of the handshake: OpenSSL's logged error is what marks it as TLS.
    /// </summary>
    private void AttemptFailed(int rc, int errno)
    {
        var reason = Reason(rc, errno);
        var detail = _lastLibraryError;
        if (detail is not null)
        {
            reason = $"{reason} ({detail})";
        }

        var tls = rc == Mosquitto.MOSQ_ERR_TLS || detail?.StartsWith("OpenSSL", StringComparison.Ordinal) == true;
        if (!tls && rc is not (Mosquitto.MOSQ_ERR_INVAL or Mosquitto.MOSQ_ERR_NOMEM))
        {
            ReportUnreachable(reason);
            return;
        }

        TaskCompletionSource? firstConnack;
        lock (_sync)
        {
            firstConnack = _firstConnack;
            _firstConnack = null;
        }

        var what = tls ? "TLS connection" : "Connection";
        if (firstConnack is null)
        {
            MqttLog.ReconnectFailed(_logger, what, _endpoint, reason);
            return;
        }

        MqttLog.ConnectFailed(_logger, what, _endpoint, reason);
        firstConnack.TrySetException(new MqttException(tls ? Mosquitto.MOSQ_ERR_TLS : rc, $"{what} to the MQTT broker {_endpoint} failed: {reason}"));
    }

    /// <summary>A warning for the first failed attempt since the last connection, debug lines for the retries after it.</summary>
    private void ReportUnreachable(string reason)
    {
        bool first;
        lock (_sync)
        {
            first = !_unreachableReported;
            _unreachableReported = true;
        }

        if (first)
        {
            MqttLog.BrokerUnreachable(_logger, _endpoint, reason);
        }
        else
        {
            MqttLog.ConnectAttemptFailed(_logger, _endpoint, reason);
        }
    }

    /// <summary>
    /// Min × 2^attempt, capped at the maximum, less up to a fifth at random: gateways that lost the same broker do not
    /// all come back in the same second.
    /// </summary>
    private TimeSpan ReconnectDelay(int attempt)
    {
        var seconds = Math.Min(_options.ReconnectDelayMaxSeconds, _options.ReconnectDelayMinSeconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromSeconds(seconds * (1 - (Random.Shared.NextDouble() / 5)));
    }

    private async Task StopNetworkAsync()
    {
        Thread? thread;
        lock (_sync)
        {
            thread = _networkThread;
        }

        if (thread is null)
        {
            return;
        }

        // Queues the DISCONNECT and wakes the loop; a thread waiting to reconnect is woken by _stopping.
        Mosquitto.mosquitto_disconnect(_handle);
        await _networkThreadEnded.Task.ConfigureAwait(false);
    }
}
