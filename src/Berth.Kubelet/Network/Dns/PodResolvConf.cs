using Berth.Client.Events;
using Berth.Kubelet.Events;
using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.Network.Dns;

/// <summary>
/// Writes each pod's resolv.conf (<c>&lt;pods&gt;/&lt;uid&gt;/volumes/resolv.conf</c>, directly in the volumes
/// directory so that it costs no directory of its own on every pod start, removed with the pod's volumes after it
/// terminated) and returns the mount that shows it at <c>/etc/resolv.conf</c>, as a runtime does for a sandbox.
/// Written directly when missing (no container mounts it yet; a torn file differs from the content and is rewritten
/// on the next start), and rewritten atomically (temp file and rename, so a running container keeps the inode it has
/// mounted until its next start) only when the content changes; the configurer's warnings are recorded as
/// Warning events at that moment. Called by the config generator for every container start; thread-safe: one pod's
/// containers check and write its file one at a time, different pods' (nearly always) in parallel — a lock per
/// stripe of pod UIDs, not one for the node, so a burst of pod starts does not queue behind each other's file
/// system work.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (GetPodDNS) and the runtime's resolv.conf.</remarks>
public sealed class PodResolvConf(DnsConfigurer configurer, string podsDirectory, IEventRecorder recorder)
{
    public const string ContainerPath = "/etc/resolv.conf";

    private const int Stripes = 64;
    private readonly Lock[] _gates = [.. Enumerable.Range(0, Stripes).Select(_ => new Lock())];

    /// <summary>The file's path for a pod UID.</summary>
    public string PathFor(string podUid) => Path.Combine(podsDirectory, podUid, "volumes", "resolv.conf");

    public IReadOnlyList<ContainerMount> MountsFor(V1Pod pod)
    {
        var uid = pod.Metadata?.Uid;
        if (string.IsNullOrEmpty(uid) || uid.Contains('/', StringComparison.Ordinal) || uid is "." or "..")
        {
            return [];
        }
        var result = configurer.GetPodDns(pod);
        var path = PathFor(uid);
        var content = result.Config.ToResolvConf();
        lock (_gates[(uint)StringComparer.Ordinal.GetHashCode(uid) % Stripes])
        {
            var exists = File.Exists(path);
            if (!exists || File.ReadAllText(path) != content)
            {
                Write(path, content, exists);
                foreach (var warning in result.Warnings)
                {
                    recorder.PodEvent(pod, EventTypes.Warning, warning.Reason, warning.Message);
                }
            }
        }
        return [new ContainerMount(ContainerPath, path, ReadOnly: false)];
    }

    private static void Write(string path, string content, bool replace)
    {
        if (!replace)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            return;
        }
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
