namespace Berth.Kubelet;

/// <summary>Why a pod update was sent. Mirrors kubernetes/kubernetes pkg/kubelet/types/pod_update.go (SyncPodType).</summary>
public enum SyncPodType
{
    /// <summary>A periodic or event-driven resync.</summary>
    Sync,

    /// <summary>The pod changed in the API.</summary>
    Update,

    /// <summary>The pod was seen for the first time.</summary>
    Create,

    /// <summary>The agent wants the pod gone (force delete observed, orphan, node shutdown).</summary>
    Kill,
}
