using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Forwarding;
using Berth.Proxy.Model;

namespace Berth.Proxy.Listening;

/// <summary>
/// The UDP socket of one service port (a ClusterIP:port or a NodePort), with its receive loop and its client flows
/// (<see cref="DatagramFlow"/>, keyed by the client's address and port). Open only while the port has usable
/// endpoints: with it closed, a datagram gets ICMP port unreachable from the kernel, as kube-proxy's REJECT rule
/// answers for a UDP service without endpoints. A datagram of a known client goes to its flow's endpoint while that
/// endpoint is usable in the snapshot; otherwise (new client, endpoint gone or refusing, flow idled out) a new flow is
/// balanced; when <see cref="ProxyOptions.UdpMaxFlows"/> flows are open, such a datagram is dropped.
/// <see cref="DisposeAsync"/> closes the socket and every flow (UDP has no connection to keep open).
/// </summary>
/// <remarks>Thread-safety: the receive loop alone creates flows and sends to endpoints; reply loops and the idle sweep only remove them.</remarks>
public sealed class DatagramListener : IServiceListener
{
    private const int MaxDatagram = 65_536;
    private static readonly IPEndPoint AnyClient = new(IPAddress.Any, 0);
    private readonly Socket _socket;
    private readonly DatagramHandler _handler;
    private readonly ConcurrentDictionary<IPEndPoint, DatagramFlow> _flows = new();
    private readonly ITimer _sweep;
    private readonly Task _receiving;
    private readonly bool _external;

    private DatagramListener(Socket socket, ServicePortName owner, DatagramHandler handler, bool external)
    {
        _socket = socket;
        _external = external;
        _handler = handler;
        Owner = owner;
        var period = TimeSpan.FromTicks(Math.Clamp(handler.Options.UdpTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond * 100, TimeSpan.TicksPerSecond * 5));
        _sweep = handler.Time.CreateTimer(_ => SweepIdle(), null, period, period);
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    public ServicePortName Owner { get; }

    /// <summary>The client flows open on this listener now.</summary>
    public int FlowCount => _flows.Count;

    /// <summary>
    /// Binds <paramref name="address"/> (throws <see cref="SocketException"/> when it is taken) and starts receiving;
    /// a NodePort (<paramref name="external"/>) balances over <see cref="ServicePortState.External"/>.
    /// </summary>
    public static DatagramListener Open(IPEndPoint address, ServicePortName owner, DatagramHandler handler, bool external = false)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(address);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new DatagramListener(socket, owner, handler, external);
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram);
        while (true)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, AnyClient).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // An error queued for an earlier reply (a client that went away); the socket stays usable.
            }
            await ForwardAsync((IPEndPoint)received.RemoteEndPoint, buffer.AsMemory(0, received.ReceivedBytes)).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one client datagram to its flow's endpoint, opening or replacing the flow as needed; drops it when the port has no usable endpoint.</summary>
    private async ValueTask ForwardAsync(IPEndPoint client, ReadOnlyMemory<byte> datagram)
    {
        var snapshot = _handler.Snapshot;
        var state = _external ? snapshot.Find(Owner)?.External : snapshot.Find(Owner);
        if (state is null || state.Usable.IsEmpty)
        {
            return;
        }
        if (_flows.TryGetValue(client, out var flow) && !flow.IsUsableIn(state, snapshot.Generation))
        {
            End(flow, "its endpoint is no longer usable");
            flow = null;
        }
        if (flow is null && _flows.Count >= _handler.Options.UdpMaxFlows)
        {
            _handler.FlowTableFull(Owner);
            return;
        }
        try
        {
            flow ??= Start(client, state, snapshot.Generation);
            await flow.SendAsync(datagram).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The flow closed under the send (idle sweep, refused): the datagram is lost, as UDP allows; the next one opens a new flow.
            if (flow is not null)
            {
                End(flow, "send failed");
            }
        }
    }

    private DatagramFlow Start(IPEndPoint client, ServicePortState state, long generation)
    {
        var endpoint = _handler.Pick(state, client.Address);
        var flow = DatagramFlow.Open(Owner, client, endpoint, _handler, generation);
        _flows[client] = flow;
        _ = flow.RelayRepliesAsync(_socket, End);
        return flow;
    }

    /// <summary>Forgets <paramref name="flow"/> (if it is still its client's flow) and closes it.</summary>
    private void End(DatagramFlow flow, string reason)
    {
        _flows.TryRemove(new KeyValuePair<IPEndPoint, DatagramFlow>(flow.Client, flow));
        flow.Close(reason);
    }

    private void SweepIdle()
    {
        var now = _handler.Time.GetTimestamp();
        foreach (var (_, flow) in _flows)
        {
            if (flow.IdleAt(now))
            {
                End(flow, "idle");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _receiving.ConfigureAwait(false);
        foreach (var (_, flow) in _flows)
        {
            End(flow, "the service port stopped listening");
        }
    }
}
