using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Model;

namespace Berth.Proxy.Forwarding;

/// <summary>
/// One UDP client of one service port and the endpoint it was given: a socket connected to the endpoint carries the
/// client's datagrams there, and a reply loop sends what the endpoint answers back to the client through the
/// listener's socket (so replies come from the ClusterIP:port the client wrote to). Created by a
/// <see cref="Listening.DatagramListener"/> on its receive loop, which alone sends on it; the reply loop runs on the
/// thread pool. <see cref="Dispose"/> is idempotent and safe from any thread.
/// </summary>
public sealed class DatagramFlow : IDisposable
{
    private const int MaxDatagram = 65_536;
    private readonly Socket _backend;
    private readonly DatagramHandler _handler;
    private long _lastActivity;
    private long _validatedGeneration;
    private volatile bool _replied;
    private volatile bool _stream;
    private int _disposed;

    private DatagramFlow(ServicePortName port, IPEndPoint client, ProxyEndpoint endpoint, Socket backend, DatagramHandler handler, long generation)
    {
        Port = port;
        Client = client;
        Endpoint = endpoint;
        _backend = backend;
        _handler = handler;
        _validatedGeneration = generation;
        _lastActivity = handler.Time.GetTimestamp();
    }

    public ServicePortName Port { get; }

    public IPEndPoint Client { get; }

    public ProxyEndpoint Endpoint { get; }

    /// <summary>Opens a flow of <paramref name="client"/> to <paramref name="endpoint"/> (a connected UDP socket; never blocks on loopback).</summary>
    public static DatagramFlow Open(ServicePortName port, IPEndPoint client, ProxyEndpoint endpoint, DatagramHandler handler, long generation)
    {
        var backend = new Socket(endpoint.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            backend.Connect(endpoint.Address);
        }
        catch
        {
            backend.Dispose();
            throw;
        }
        var flow = new DatagramFlow(port, client, endpoint, backend, handler, generation);
        handler.FlowOpened(flow);
        return flow;
    }

    /// <summary>
    /// True while the flow's endpoint is usable in <paramref name="state"/> (snapshot <paramref name="generation"/>).
    /// Rescans the usable endpoints only when the snapshot changed since the last check. Receive loop only.
    /// </summary>
    public bool IsUsableIn(ServicePortState state, long generation)
    {
        if (generation == _validatedGeneration)
        {
            return true;
        }
        foreach (var endpoint in state.Usable)
        {
            if (endpoint.Address.Equals(Endpoint.Address))
            {
                _validatedGeneration = generation;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// True when no datagram went either way for the flow's timeout: <see cref="ProxyOptions.UdpStreamTimeout"/> once
    /// the client wrote again after a reply (conntrack's "assured" stream), else <see cref="ProxyOptions.UdpTimeout"/>,
    /// so a one-shot query and its answer (DNS) are forgotten after the shorter one.
    /// </summary>
    public bool IdleAt(long now)
    {
        var timeout = _stream ? _handler.Options.UdpStreamTimeout : _handler.Options.UdpTimeout;
        return _handler.Time.GetElapsedTime(Interlocked.Read(ref _lastActivity), now) >= timeout;
    }

    /// <summary>Sends one client datagram to the endpoint. Receive loop only; throws when the flow was disposed.</summary>
    /// <remarks>
    /// The activity is stamped before the send, as conntrack stamps a packet when it sees it: once the endpoint has the
    /// datagram, an idle sweep already counts from it.
    /// </remarks>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram)
    {
        Interlocked.Exchange(ref _lastActivity, _handler.Time.GetTimestamp());
        if (_replied)
        {
            _stream = true;
        }
        await _backend.SendAsync(datagram, SocketFlags.None).ConfigureAwait(false);
        Endpoint.Stats.AddBytesIn(datagram.Length);
    }

    /// <summary>
    /// Relays the endpoint's datagrams to the client through <paramref name="listener"/> until the flow is disposed.
    /// An ICMP port unreachable from the endpoint (nothing bound there any more) counts as a dial failure and ends the
    /// flow through <paramref name="ended"/>, so that the client's next datagram goes to a usable endpoint.
    /// </summary>
    public async Task RelayRepliesAsync(Socket listener, Action<DatagramFlow, string> ended)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        try
        {
            while (true)
            {
                var count = await _backend.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                _replied = true;
                Interlocked.Exchange(ref _lastActivity, _handler.Time.GetTimestamp());
                Endpoint.Stats.AddBytesOut(count);
                await listener.SendToAsync(buffer.AsMemory(0, count), SocketFlags.None, Client).ConfigureAwait(false);
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            _handler.EndpointRefused(this);
            ended(this, "the endpoint refused (ICMP port unreachable)");
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException or OperationCanceledException)
        {
            // Disposed (idle, endpoint gone, listener closed), or the listener's socket closed under a reply.
            ended(this, "closed");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Closes the endpoint socket (ending the reply loop) and updates the counters once.</summary>
    public void Dispose() => Close("closed");

    /// <summary>As <see cref="Dispose"/>, with the reason logged; returns false when the flow was closed already.</summary>
    public bool Close(string reason)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }
        _backend.Dispose();
        _handler.FlowClosed(this, reason);
        return true;
    }
}
