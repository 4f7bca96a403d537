using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Disruption;

/// <summary>
/// The number of pods a budget's pods' controllers want: the sum of <c>spec.replicas</c> over the distinct controllers
/// (a Deployment for pods of its ReplicaSets, else the ReplicaSet, or the StatefulSet). Pods without a controller
/// are reported back as unmanaged; a pod whose controller cannot be found, or whose controller kind has no scale,
/// makes the computation fail. Reads the informer caches only; thread-safe.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/disruption/disruption.go (getExpectedScale and the finders
/// getPodReplicaSet, getPodDeployment, getPodStatefulSet; getScaleController's "does not implement the scale
/// subresource" error for other known kinds).
/// </remarks>
internal sealed class ExpectedScale(SharedInformer replicaSets, SharedInformer deployments, SharedInformer statefulSets)
{
    /// <summary>The informers whose caches must be synced before <see cref="GetExpectedScale"/> is meaningful.</summary>
    public IReadOnlyList<ISharedInformer> Informers => [replicaSets, deployments, statefulSets];

    /// <summary>Expected pod count and the names of the pods without a controller.</summary>
    /// <exception cref="InvalidOperationException">A pod's controller is missing or cannot be scaled.</exception>
    public (int Expected, IReadOnlyList<string> Unmanaged) GetExpectedScale(IReadOnlyList<JsonObject> pods)
    {
        var controllerScale = new Dictionary<string, int>();
        var unmanaged = new List<string>();
        foreach (var pod in pods)
        {
            if (OwnerReferences.GetControllerOf(pod) is not { } controllerRef)
            {
                unmanaged.Add(pod.GetName() ?? "");
                continue;
            }
            if (controllerScale.ContainsKey(controllerRef.GetString("uid") ?? ""))
            {
                continue;
            }
            var found = FindController(controllerRef, pod.GetNamespace() ?? "")
                ?? throw new InvalidOperationException($"found no controllers for pod \"{pod.GetName()}\"");
            controllerScale[found.Uid] = found.Scale;
        }
        return (controllerScale.Values.Sum(), unmanaged);
    }

    private (string Uid, int Scale)? FindController(JsonObject controllerRef, string ns) =>
        GetPodReplicaSet(controllerRef, ns) ?? GetPodDeployment(controllerRef, ns) ?? GetPodStatefulSet(controllerRef, ns)
        ?? CheckScalable(controllerRef);

    /// <summary>The ReplicaSet itself, unless a Deployment controls it.</summary>
    private (string, int)? GetPodReplicaSet(JsonObject controllerRef, string ns)
    {
        if (Resolve(replicaSets, controllerRef, ns, KindRegistry.ReplicaSets) is not { } rs ||
            OwnerReferences.GetControllerOf(rs)?.GetString("kind") == KindRegistry.Deployments.Kind)
        {
            return null;
        }
        return (rs.GetUid()!, Replicas(rs));
    }

    private (string, int)? GetPodDeployment(JsonObject controllerRef, string ns)
    {
        if (Resolve(replicaSets, controllerRef, ns, KindRegistry.ReplicaSets) is not { } rs ||
            OwnerReferences.GetControllerOf(rs) is not { } rsRef ||
            Resolve(deployments, rsRef, ns, KindRegistry.Deployments) is not { } deployment)
        {
            return null;
        }
        return (deployment.GetUid()!, Replicas(deployment));
    }

    private (string, int)? GetPodStatefulSet(JsonObject controllerRef, string ns) =>
        Resolve(statefulSets, controllerRef, ns, KindRegistry.StatefulSets) is { } set ? (set.GetUid()!, Replicas(set)) : null;

    /// <summary>A controller of another known kind: an error when that kind has no scale subresource, else not found.</summary>
    private static (string, int)? CheckScalable(JsonObject controllerRef)
    {
        var apiVersion = controllerRef.GetString("apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        if (KindRegistry.FindByKind(group, controllerRef.GetString("kind") ?? "") is { } kind && !kind.Subresources.Contains("scale"))
        {
            throw new InvalidOperationException($"{kind.GroupResource} does not implement the scale subresource");
        }
        return null;
    }

    /// <summary>The cached object a reference names when the reference is of <paramref name="kind"/> (group apps) and the UID matches.</summary>
    private static JsonObject? Resolve(SharedInformer informer, JsonObject reference, string ns, ResourceKind kind)
    {
        var apiVersion = reference.GetString("apiVersion") ?? "";
        if (reference.GetString("kind") != kind.Kind || !(apiVersion.StartsWith("apps/", StringComparison.Ordinal) || apiVersion.StartsWith("extensions/", StringComparison.Ordinal)))
        {
            return null;
        }
        var obj = informer.Lister.Get(ns, reference.GetString("name") ?? "");
        return obj?.GetUid() == reference.GetString("uid") ? obj : null;
    }

    private static int Replicas(JsonObject obj) => (int)(obj.GetLong("spec", "replicas") ?? 1);
}
