namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// The epoll registration of one socket of a <see cref="IRelayMember"/>: its descriptor, the events asked for now
/// (0 = not registered, so a hung-up socket nobody waits on cannot make level-triggered epoll spin) and its epoll
/// data. Mutated by <see cref="RelayLoop.Watch"/> on the loop thread only.
/// </summary>
internal struct SocketWatch(int fd, ulong data)
{
    public int Fd { get; } = fd;

    public ulong Data { get; } = data;

    public uint Mask { get; set; }
}
