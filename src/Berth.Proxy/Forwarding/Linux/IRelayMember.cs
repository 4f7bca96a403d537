namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// Something whose sockets a <see cref="RelayLoop"/> watches: a proxied connection (<see cref="Relay"/>) or a dial in
/// progress (<see cref="PendingConnect"/>). Every method is called on the loop thread only, must not block, and must
/// not throw; once a member detached itself it gets no further calls.
/// </summary>
internal interface IRelayMember
{
    /// <summary>Called once on the loop thread when the member was attached (<paramref name="slot"/> names it in epoll data).</summary>
    void Start(RelayLoop loop, int slot);

    /// <summary>epoll reported <paramref name="events"/> for the socket of <paramref name="side"/> (0 or 1).</summary>
    void OnEvents(int side, uint events);

    /// <summary>Ends the member with a reset (proxy shutdown, or a cancelled dial); it detaches itself.</summary>
    void Abort();
}
