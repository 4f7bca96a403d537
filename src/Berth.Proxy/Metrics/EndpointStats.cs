using System.Net;
using Berth.Proxy.Model;

namespace Berth.Proxy.Metrics;

/// <summary>
/// Live counters of one endpoint of one service port. The connection path updates them with
/// <see cref="Interlocked"/> only (no locks, no allocation); the metrics exporter copies them into Prometheus series
/// at scrape time. One instance per (service port, endpoint) lives across snapshots, so counts survive resyncs and an
/// endpoint that leaves and comes back keeps its totals.
/// </summary>
public sealed class EndpointStats(ServicePortName port, IPEndPoint endpoint)
{
    private long _active;
    private long _total;
    private long _bytesIn;
    private long _bytesOut;
    private long _dialFailures;
    private KernelCounts _kernel = KernelCounts.None;
    private volatile bool _retired;

    public ServicePortName Port { get; } = port;

    public IPEndPoint Endpoint { get; } = endpoint;

    /// <summary>Proxied connections to this endpoint that are open now.</summary>
    public long ActiveConnections => Volatile.Read(ref _active);

    /// <summary>Proxied connections ever opened to this endpoint.</summary>
    public long TotalConnections => Volatile.Read(ref _total);

    /// <summary>Bytes copied from clients to this endpoint.</summary>
    public long BytesIn => Volatile.Read(ref _bytesIn);

    /// <summary>Bytes copied from this endpoint to clients.</summary>
    public long BytesOut => Volatile.Read(ref _bytesOut);

    /// <summary>Connection attempts to this endpoint that failed before any byte was exchanged.</summary>
    public long DialFailures => Volatile.Read(ref _dialFailures);

    /// <summary>
    /// What the kernel's socket load balancer (<see cref="ProxyMode.Ebpf"/>) counted for this endpoint, copied from its
    /// map at scrape time; those connections are in none of the other counters.
    /// </summary>
    public KernelCounts Kernel
    {
        get => Volatile.Read(ref _kernel);
        internal set => Volatile.Write(ref _kernel, value);
    }

    /// <summary>Connects the kernel sent straight to this endpoint (<see cref="Kernel"/>.Connects).</summary>
    public long KernelConnections => Kernel.Connects;

    /// <summary>True while the endpoint is in no snapshot; written only by the sync loop.</summary>
    public bool Retired
    {
        get => _retired;
        internal set => _retired = value;
    }

    /// <summary>Set by the exporter once it exported this pair after it retired; used only on the scrape thread.</summary>
    internal bool ExportedRetired { get; set; }

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _active);
        Interlocked.Increment(ref _total);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _active);

    internal void AddBytesIn(int count) => Interlocked.Add(ref _bytesIn, count);

    internal void AddBytesOut(int count) => Interlocked.Add(ref _bytesOut, count);

    internal void DialFailed() => Interlocked.Increment(ref _dialFailures);
}

/// <summary>
/// One endpoint's counts in the kernel data path: connects routed to it, connections open now, bytes the client sent
/// (acknowledged by the endpoint) and received, counted when a connection closes, and connects turned away from it
/// because it had no listening socket.
/// </summary>
public sealed record KernelCounts(long Connects, long Active, long BytesIn, long BytesOut, long DialFailures)
{
    public static readonly KernelCounts None = new(0, 0, 0, 0, 0);
}
