using System.Collections.Concurrent;
using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet;

/// <summary>
/// The desired pods of this node by UID: the newest version the informer delivered, removed when the API object is
/// gone. Mirrors kubernetes/kubernetes pkg/kubelet/pod/pod_manager.go (without static/mirror pods).
/// </summary>
/// <remarks>Thread-safe; pods handed out are shared and read-only.</remarks>
public sealed class PodManager
{
    private readonly ConcurrentDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);

    public void Set(V1Pod pod) => _pods[PodSpecs.Uid(pod)] = pod;

    public void Remove(string uid) => _pods.TryRemove(uid, out _);

    public V1Pod? Get(string uid) => _pods.TryGetValue(uid, out var pod) ? pod : null;

    public IReadOnlyList<V1Pod> All() => [.. _pods.Values];

    public IReadOnlySet<string> Uids() => new HashSet<string>(_pods.Keys, StringComparer.Ordinal);
}
