using System.Net.Sockets;
using Berth.Bpf;
using Berth.Proxy.Metrics;
using Berth.Proxy.Model;

namespace Berth.Proxy.Kernel;

/// <summary>
/// The kernel data path of <see cref="ProxyMode.Ebpf"/>: <see cref="Sock4ConnectProgram"/> and
/// <see cref="SockOpsProgram"/> attached to the cgroup2 root with BPF links, plus their maps, which <see cref="Apply"/> keeps equal to the snapshot's ClusterIP routing.
/// The links are the only thing that keeps the programs attached: <see cref="Dispose"/>, or this process dying, detaches
/// them, so no program outlives Berth. Every Berth process attaches its own programs and maps; each passes through
/// connects it has no entry for, and programs a ClusterIP:port only while its own user-space listener holds that
/// address (<see cref="Apply"/>'s <c>owns</c>), so servers whose ClusterIP ranges overlap behave as in user-space
/// mode: a connect reaches the endpoints of whichever server bound the address.
/// </summary>
/// <remarks>Cilium's socket-level load balancing (kube-proxy replacement, bpf/bpf_sock.c), reduced to ClusterIP TCP.</remarks>
public sealed class SocketLoadBalancer : IDisposable
{
    /// <summary>Service ports and backend slots the maps hold at most; a service that does not fit stays in user space.</summary>
    public const int MaxServices = 16 * 1024, MaxBackends = 64 * 1024;

    /// <summary>Routed connections followed at once for the open-connection and byte counts; beyond, the oldest are forgotten (LRU).</summary>
    public const int MaxSockets = 64 * 1024;

    private readonly BpfMap _services;
    private readonly BpfMap _backends;
    private readonly BpfMap _counterMap;
    private readonly BpfMap _sockets;
    private readonly BpfHandle _link;
    private readonly BpfHandle _sockOpsLink;
    private readonly KernelConnectionCounters _counters;
    private readonly Dictionary<ServicePortName, ProgrammedService> _programmed = [];
    private uint _lastId;

    private SocketLoadBalancer(BpfMap[] maps, BpfHandle link, BpfHandle sockOpsLink, EndpointStatsRegistry stats)
    {
        (_services, _backends, _counterMap, _sockets) = (maps[0], maps[1], maps[2], maps[3]);
        (_link, _sockOpsLink) = (link, sockOpsLink);
        _counters = new KernelConnectionCounters(_counterMap, MaxBackends, stats);
    }

    /// <summary>
    /// Creates the maps, loads the program and attaches it to <paramref name="cgroup"/> (null: the cgroup2 root); null
    /// with the reason when this machine does not allow it (not Linux, no cgroup2, no bpf(2), not root, verifier
    /// refusal, or <paramref name="cgroup"/> is not a cgroup2 directory).
    /// </summary>
    public static SocketLoadBalancer? TryAttach(EndpointStatsRegistry stats, string? cgroup, out string reason)
    {
        var root = OperatingSystem.IsLinux() ? cgroup ?? Cgroup2Mount.Find() : null;
        if (root is null)
        {
            reason = OperatingSystem.IsLinux() ? "no cgroup2 mount in /proc/self/mounts" : "eBPF needs Linux";
            return null;
        }
        var owned = new List<IDisposable>();
        try
        {
            var services = Own(owned, BpfMap.Create(BpfMapType.Hash, Lb4MapLayout.ServiceKeySize, Lb4MapLayout.ServiceValueSize, MaxServices, "lb4_services"));
            var backends = Own(owned, BpfMap.Create(BpfMapType.Hash, Lb4MapLayout.BackendKeySize, Lb4MapLayout.BackendValueSize, MaxBackends, "lb4_backends"));
            var counters = Own(owned, BpfMap.Create(BpfMapType.Array, 4, Lb4MapLayout.CounterValueSize, MaxBackends, "lb4_conns"));
            var sockets = Own(owned, BpfMap.Create(BpfMapType.LruHash, Lb4MapLayout.SocketKeySize, Lb4MapLayout.SocketValueSize, MaxSockets, "lb4_socks"));
            // Each link holds its program; the loads' own descriptors are not needed after attaching.
            using var connect = BpfProgram.Load(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect,
                Sock4ConnectProgram.Build(services, backends, counters, sockets), "berth_sock4");
            using var sockOps = BpfProgram.Load(BpfProgramType.SockOps, BpfAttachType.CgroupSockOps, SockOpsProgram.Build(counters, sockets), "berth_sockops");
            var sockOpsLink = Own(owned, BpfLink.AttachCgroup(sockOps, root, BpfAttachType.CgroupSockOps));
            var link = BpfLink.AttachCgroup(connect, root, BpfAttachType.CgroupInet4Connect);
            reason = $"cgroup/connect4 and sock_ops programs attached to {root}";
            return new SocketLoadBalancer([services, backends, counters, sockets], link, sockOpsLink, stats);
        }
        catch (Exception ex) when (ex is BpfException or IOException or UnauthorizedAccessException or EntryPointNotFoundException)
        {
            owned.ForEach(resource => resource.Dispose());
            reason = ex.Message;
            return null;
        }
    }

    /// <summary>
    /// Brings the maps in line with <paramref name="snapshot"/> for the service ports in <paramref name="changed"/>.
    /// Called by the sync loop only (not thread-safe), right after it published the snapshot. A port is programmed only
    /// when <paramref name="owns"/> says this proxy's listener holds its ClusterIP:port. Returns the service ports
    /// that could not be programmed (a full map); those stay with the user-space listener.
    /// </summary>
    public List<(ServicePortName Port, BpfException Error)> Apply(ProxySnapshot snapshot, IEnumerable<ServicePortName> changed, Func<ServicePortState, bool> owns)
    {
        var failed = new List<(ServicePortName, BpfException)>();
        foreach (var name in changed)
        {
            var state = snapshot.Find(name);
            try
            {
                Program(name, state is not null && Routes(state) && owns(state) ? state : null);
            }
            catch (BpfException ex)
            {
                failed.Add((name, ex));
                Program(name, null);
            }
        }
        return failed;
    }

    /// <summary>
    /// Whether the kernel path routes this service port's ClusterIP: TCP, an IPv4 ClusterIP, no ClientIP session
    /// affinity (the program keeps no per-client state), and at least one usable endpoint (with none, the connect
    /// passes through and the user-space listener refuses it, as in user-space mode).
    /// </summary>
    public static bool Routes(ServicePortState state) =>
        state.Info is { Protocol: ProtocolType.Tcp, ClientIPAffinity: false, Port: > 0 }
        && state.Info.ClusterIP.AddressFamily == AddressFamily.InterNetwork
        && !state.Usable.IsEmpty;

    /// <summary>Copies the kernel's per-endpoint counts into the <see cref="EndpointStats"/> (scrape time).</summary>
    public void RefreshCounters()
    {
        if (_link.IsClosed)
        {
            return; // Stopped: the last values stay.
        }
        try
        {
            _counters.Refresh();
        }
        catch (BpfException)
        {
            // Disposed during the scrape: the last values stay.
        }
    }

    /// <summary>
    /// Writes a fresh backend set under a new id, switches the service entry to it in one map update (a hash-map
    /// update replaces the whole value, so a connect sees the old set or the new one), then deletes the old set. A
    /// connect that read the old id just before may miss its backend and pass through to the user-space listener.
    /// Null <paramref name="state"/> removes the service port's entry.
    /// </summary>
    private void Program(ServicePortName name, ServicePortState? state)
    {
        _programmed.TryGetValue(name, out var old);
        var key = state is null ? null : Lb4MapLayout.ServiceKey(state.Info.ClusterIP, state.Info.Port);
        if (old is not null && (key is null || !key.AsSpan().SequenceEqual(old.Key)))
        {
            _services.Delete(old.Key);
        }
        if (state is not null && key is not null)
        {
            var id = NextId();
            try
            {
                for (var slot = 0; slot < state.Usable.Length; slot++)
                {
                    var endpoint = state.Usable[slot];
                    _backends.Update(Lb4MapLayout.BackendKey(id, slot), Lb4MapLayout.BackendValue(endpoint.Address, _counters.IndexOf(endpoint.Stats)));
                }
                _services.Update(key, Lb4MapLayout.ServiceValue(state.Usable.Length, id));
            }
            catch (BpfException)
            {
                // A full map: drop the part of the new set that was written; the caller then removes the service's entry.
                for (var slot = 0; slot < state.Usable.Length; slot++)
                {
                    _backends.Delete(Lb4MapLayout.BackendKey(id, slot));
                }
                throw;
            }
            _programmed[name] = new ProgrammedService(key, id, state.Usable.Length);
        }
        else
        {
            _programmed.Remove(name);
        }
        for (var slot = 0; old is not null && slot < old.Count; slot++)
        {
            _backends.Delete(Lb4MapLayout.BackendKey(old.Id, slot));
        }
    }

    /// <summary>A backend-set id not in use: ids grow and skip 0; wrapping past 2^32 sets would need every older one gone, which they are.</summary>
    private uint NextId() => ++_lastId == 0 ? ++_lastId : _lastId;

    /// <summary>Detaches the program (closing the link) and frees the maps.</summary>
    public void Dispose()
    {
        _link.Dispose();
        _sockOpsLink.Dispose();
        _services.Dispose();
        _sockets.Dispose();
        _backends.Dispose();
        _counterMap.Dispose();
    }

    private static T Own<T>(List<IDisposable> owned, T resource)
        where T : IDisposable
    {
        owned.Add(resource);
        return resource;
    }

    /// <summary>What the maps hold for one service port: its key in <c>lb4_services</c> and its backend set.</summary>
    private sealed record ProgrammedService(byte[] Key, uint Id, int Count);
}
