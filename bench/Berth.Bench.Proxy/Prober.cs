using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Bench.Proxy;

/// <summary>
/// Opens new connections to a ClusterIP back to back (or, with a rate, one every 1/rate seconds when the previous one
/// is done by then) and records, for every connection, when it was opened and which pod answered (the pods write
/// their name and close). Runs on its own thread until disposed. A paced prober offers every proxy engine the same
/// load; back to back, a faster proxy gets more probes and so more CPU work for the whole machine.
/// </summary>
internal sealed class Prober : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly double _rate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, long> _lastSeen = new();
    private readonly ConcurrentDictionary<string, long> _errorKinds = new();
    private long _probes;
    private long _errors;

    /// <param name="target">The ClusterIP and port.</param>
    /// <param name="rate">Connections per second; 0 opens them back to back.</param>
    public Prober(IPEndPoint target, double rate = 0)
    {
        _target = target;
        _rate = rate;
        _loop = Task.Run(LoopAsync);
    }

    public long Probes => Interlocked.Read(ref _probes);

    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Forgets the errors so far (the refusals while the Service had no ready endpoint yet).</summary>
    public void ResetErrors()
    {
        _errorKinds.Clear();
        Interlocked.Exchange(ref _errors, 0);
    }

    /// <summary>Errors by kind (socket error code, or "empty" for a connection closed without a name), e.g. "ConnectionReset=12".</summary>
    public string ErrorBreakdown => _errorKinds.IsEmpty ? "none" : string.Join(", ", _errorKinds.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"));

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the latest connection that reached <paramref name="pod"/> was opened, or 0.</summary>
    public long LastConnectionTo(string pod) => _lastSeen.GetValueOrDefault(pod);

    private async Task LoopAsync()
    {
        var buffer = new byte[256];
        var next = Stopwatch.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            if (_rate > 0)
            {
                next += (long)(Stopwatch.Frequency / _rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, CancellationToken.None);
                }
                else
                {
                    next = Stopwatch.GetTimestamp();
                }
            }
            var opened = Stopwatch.GetTimestamp();
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(_target, _stop.Token);
                var received = 0;
                int read;
                while ((read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, _stop.Token)) > 0)
                {
                    received += read;
                }
                var pod = Encoding.ASCII.GetString(buffer, 0, received);
                if (received == 0)
                {
                    _errorKinds.AddOrUpdate("empty", 1, (_, n) => n + 1);
                    Interlocked.Increment(ref _errors);
                    continue;
                }
                _lastSeen.AddOrUpdate(pod, opened, (_, previous) => Math.Max(previous, opened));
                Interlocked.Increment(ref _probes);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    _errorKinds.AddOrUpdate(ex is SocketException se ? se.SocketErrorCode.ToString() : "canceled", 1, (_, n) => n + 1);
                    Interlocked.Increment(ref _errors);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}
