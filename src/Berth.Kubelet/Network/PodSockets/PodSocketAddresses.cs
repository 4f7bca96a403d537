using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Bpf;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Network.PodSockets;

/// <summary>
/// Gives every pod its own wildcard and localhost without a network namespace. Pods are host processes sharing one
/// network stack, so two replicas of an app that listens on <c>0.0.0.0:8080</c> (nearly every app's default) would
/// collide, where on a cluster each has its own. The <see cref="PodSocketPrograms"/>, attached to the cgroup that
/// holds every container's cgroup, move such binds onto the pod's IP and send the pod's localhost connects to its own
/// listeners, for any binary (static ones included). Created once per runtime when the machine allows BPF (root,
/// cgroup2); <see cref="TryCreate"/> returns null otherwise and pods keep today's behaviour (bind <c>$POD_IP</c>).
/// </summary>
/// <remarks>
/// Thread-safe (registrations are serialised: they happen once per container start and exit). <see cref="Register"/> must run after the container's cgroup exists and before its first process
/// joins it; <see cref="Unregister"/> before the cgroup directory is removed. Disposing detaches the programs (as
/// does the process exiting: links die with their last descriptor), so nothing stays attached after Berth stops;
/// a restarted agent registers the cgroups of the containers it adopts again.
/// </remarks>
public sealed partial class PodSocketAddresses : IDisposable
{
    private const int MaxPods = 16 * 1024, MaxListens = 64 * 1024;

    private readonly BpfMap _podMap;
    private readonly BpfMap _listens;
    private readonly List<BpfHandle> _links;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (ulong CgroupId, uint Address)> _registered = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, (int Containers, uint Generation)> _pods = [];
    private uint _lastGeneration;
    private readonly ILogger _logger;

    private PodSocketAddresses(BpfMap pods, BpfMap listens, List<BpfHandle> links, ILogger logger)
    {
        (_podMap, _listens, _links, _logger) = (pods, listens, links, logger);
    }

    /// <summary>
    /// Creates the maps, loads the four programs and links them to <paramref name="cgroupParent"/>. Returns null, with
    /// the reason, when any step fails (not root, no BPF, an old kernel's verifier); nothing stays attached then.
    /// </summary>
    public static PodSocketAddresses? TryCreate(string cgroupParent, ILogger logger, out string reason)
    {
        BpfMap? pods = null, listens = null;
        var links = new List<BpfHandle>();
        try
        {
            pods = BpfMap.Create(BpfMapType.Hash, 8, 8, MaxPods, "berth_pods");
            listens = BpfMap.Create(BpfMapType.LruHash, 8, 4, MaxListens, "berth_listens");
            Attach(links, cgroupParent, BpfAttachType.CgroupInet4Bind, PodSocketPrograms.Bind4(pods, listens), "berth_bind4");
            Attach(links, cgroupParent, BpfAttachType.CgroupInet6Bind, PodSocketPrograms.Bind6(pods, listens), "berth_bind6");
            Attach(links, cgroupParent, BpfAttachType.CgroupInet4Connect, PodSocketPrograms.Connect4(pods, listens), "berth_connect4");
            Attach(links, cgroupParent, BpfAttachType.CgroupInet6Connect, PodSocketPrograms.Connect6(pods, listens), "berth_connect6");
            reason = $"BPF cgroup/sock_addr programs on {cgroupParent}";
            return new PodSocketAddresses(pods, listens, links, logger);
        }
        catch (Exception ex) when (ex is BpfException or DllNotFoundException or EntryPointNotFoundException)
        {
            links.ForEach(l => l.Dispose());
            pods?.Dispose();
            listens?.Dispose();
            reason = ex.Message.Split('\n')[0];
            return null;
        }
    }

    /// <summary>
    /// The container whose cgroup is <paramref name="cgroupPath"/> belongs to a pod with IPv4 <paramref name="podAddress"/>:
    /// its binds and localhost connects are rewritten from now on. Idempotent. Failures are logged, not thrown: the
    /// container then runs as it would without this feature.
    /// </summary>
    public void Register(string cgroupPath, IPAddress podAddress)
    {
        if (podAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            return;
        }
        try
        {
            var id = Bpf.CgroupId.Of(cgroupPath);
            var address = BinaryPrimitives.ReadUInt32LittleEndian(podAddress.GetAddressBytes()); // network order, as bpf_sock_addr holds it
            lock (_gate)
            {
                // Containers of one pod share its generation; the pod's first container starts a new one.
                var (containers, generation) = _pods.GetValueOrDefault(address);
                generation = containers > 0 ? generation : ++_lastGeneration;
                var value = new byte[8];
                BinaryPrimitives.WriteUInt32LittleEndian(value, address);
                BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), generation);
                _podMap.Update(Key(id), value);
                if (_registered.TryAdd(cgroupPath, (id, address)))
                {
                    _pods[address] = (containers + 1, generation);
                }
            }
        }
        catch (Exception ex) when (ex is BpfException or IOException)
        {
            Log.RegisterFailed(_logger, cgroupPath, ex.Message);
        }
    }

    /// <summary>
    /// The container's cgroup is about to go. When it was the pod's last registered container, the pod's generation
    /// ends: a later pod given the same IP gets a new one, so the listeners recorded for this one never match it.
    /// </summary>
    public void Unregister(string cgroupPath)
    {
        try
        {
            lock (_gate)
            {
                if (!_registered.Remove(cgroupPath, out var entry))
                {
                    return;
                }
                var (containers, generation) = _pods[entry.Address];
                if (containers > 1)
                {
                    _pods[entry.Address] = (containers - 1, generation);
                }
                else
                {
                    _pods.Remove(entry.Address); // its listens no longer match any pod's generation
                }
                _podMap.Delete(Key(entry.CgroupId));
            }
        }
        catch (BpfException ex)
        {
            Log.RegisterFailed(_logger, cgroupPath, ex.Message);
        }
    }

    public void Dispose()
    {
        _links.ForEach(l => l.Dispose());
        _podMap.Dispose();
        _listens.Dispose();
    }

    private static void Attach(List<BpfHandle> links, string cgroup, BpfAttachType type, byte[] program, string name)
    {
        using var loaded = BpfProgram.Load(BpfProgramType.CgroupSockAddr, type, program, name);
        links.Add(BpfLink.AttachCgroup(loaded, cgroup, type));
    }

    private static byte[] Key(ulong cgroupId)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(key, cgroupId);
        return key;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4220, Level = LogLevel.Warning, Message = "Pod socket addressing for cgroup {Cgroup} failed; its binds are not moved to the pod IP: {Why}")]
        public static partial void RegisterFailed(ILogger logger, string cgroup, string why);
    }
}
