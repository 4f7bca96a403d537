using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Pod-start flow control: the queuing half of API Priority and Fairness (k8s.io/apiserver pkg/util/flowcontrol),
/// with a pod's start, not a request's execution, as the seat. A create of a pod the local node will run (no
/// <c>spec.nodeName</c>, or the local node's) takes one of <see cref="Limit"/> seats and keeps it until the pod is
/// taken up: its first status write (the kubelet's, or the scheduler's Unschedulable), its deletion, or
/// <see cref="HoldTimeout"/>, whichever comes first. A create that finds every seat taken waits, first come first
/// served, at most <see cref="HoldTimeout"/>, then goes ahead without a seat.
/// </summary>
/// <remarks>
/// Why: on a saturated node every accepted pod competes for the same CPU, so a burst accepted at once finishes at once,
/// at the end. With the seats, pods start in creation order at the rate the node starts them, and a client's wait
/// moves from after its create to before it. The total time of a burst does not grow. When a seat times out (the node
/// is not taking pods up: it is down, or far behind) the queue stops gating for one <see cref="HoldTimeout"/>, so a
/// node that is not working never slows creates for long. Thread-safe.
/// </remarks>
public sealed class PodStartQueue
{
    private readonly SemaphoreSlim _seats;
    private readonly ConcurrentDictionary<string, Seat> _held = new(StringComparer.Ordinal);
    private readonly string _localNode;
    private readonly TimeProvider _time;
    private long _bypassUntil;
    private int _waiting;
    private long _queued;
    private long _expired;

    /// <param name="limit">Seats: pods created but not yet taken up before further creates wait (at least 1).</param>
    /// <param name="localNode">The node whose pods are gated (the in-process kubelet's).</param>
    public PodStartQueue(int limit, string localNode, TimeProvider time, TimeSpan holdTimeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        HoldTimeout = holdTimeout;
        _seats = new SemaphoreSlim(limit, limit);
        _localNode = localNode;
        _time = time;
    }

    /// <summary>No upstream counterpart. 1 s: far above a warm pod's start (tens of ms), far below a client's patience.</summary>
    public static readonly TimeSpan DefaultHoldTimeout = TimeSpan.FromSeconds(1);

    public int Limit { get; }

    public TimeSpan HoldTimeout { get; }

    /// <summary>Creates waiting for a seat now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Seats taken now.</summary>
    public int InUse => Limit - _seats.CurrentCount;

    /// <summary>Creates that had to wait, since start.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Seats given back by <see cref="HoldTimeout"/> rather than by a status write or delete, since start.</summary>
    public long Expired => Interlocked.Read(ref _expired);

    /// <summary>Called with each wait of a create that found no free seat (a histogram's Observe). Set once, before the queue is used.</summary>
    public Action<TimeSpan>? Waited { get; set; }

    /// <summary>
    /// Called before a pod create is admitted (not for dry runs). Returns the seat to <see cref="Hold"/> once the
    /// pod has its uid, or null when the pod is not gated, the queue is open, or the wait ran out.
    /// Throws <see cref="OperationCanceledException"/> when the request is cancelled while it waits.
    /// </summary>
    public async ValueTask<Seat?> AcquireAsync(JsonObject pod, CancellationToken cancellationToken)
    {
        if (!Gates(pod) || _time.GetTimestamp() < Interlocked.Read(ref _bypassUntil))
        {
            return null;
        }
        if (_seats.Wait(0, CancellationToken.None))
        {
            return new Seat(this);
        }
        Interlocked.Increment(ref _queued);
        Interlocked.Increment(ref _waiting);
        var start = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(HoldTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _seats.WaitAsync(linked.Token).ConfigureAwait(false);
            return new Seat(this);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            Waited?.Invoke(_time.GetElapsedTime(start));
        }
    }

    /// <summary>
    /// Ties <paramref name="seat"/> to the pod's uid, before its store write (so a status write racing the create's
    /// reply still finds it), and starts its hold timeout. Called once per seat.
    /// </summary>
    public void Hold(Seat seat, string uid)
    {
        seat.Uid = uid;
        _held[uid] = seat;
        seat.Timer = _time.CreateTimer(static s => ((Seat)s!).Expire(), seat, HoldTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The pod was taken up (status written) or deleted: frees its seat, if it holds one. Idempotent.</summary>
    public void Release(string? uid)
    {
        if (uid is not null && !_held.IsEmpty && _held.TryRemove(uid, out var seat))
        {
            seat.Return();
        }
    }

    private bool Gates(JsonObject pod) =>
        pod.GetString("spec", "nodeName") is not { Length: > 0 } node || string.Equals(node, _localNode, StringComparison.Ordinal);

    /// <summary>One seat: returned once, by <see cref="Release"/>, by its timeout, or by a create that failed.</summary>
    public sealed class Seat
    {
        private readonly PodStartQueue _queue;
        private int _returned;

        internal Seat(PodStartQueue queue) => _queue = queue;

        internal string? Uid { get; set; }

        /// <summary>True once <see cref="Hold"/> tied the seat to a pod.</summary>
        internal bool IsHeld => Uid is not null;

        internal ITimer? Timer { get; set; }

        /// <summary>Gives the seat back (the create failed, or the pod was taken up). Later calls do nothing.</summary>
        public void Return()
        {
            if (Interlocked.Exchange(ref _returned, 1) != 0)
            {
                return;
            }
            Timer?.Dispose();
            if (Uid is { } uid)
            {
                _queue._held.TryRemove(new KeyValuePair<string, Seat>(uid, this));
            }
            _queue._seats.Release();
        }

        internal void Expire()
        {
            if (Volatile.Read(ref _returned) != 0)
            {
                return;
            }
            Interlocked.Increment(ref _queue._expired);
            Interlocked.Exchange(ref _queue._bypassUntil, _queue._time.GetTimestamp() + (long)(_queue.HoldTimeout.TotalSeconds * _queue._time.TimestampFrequency));
            Return();
        }
    }
}
