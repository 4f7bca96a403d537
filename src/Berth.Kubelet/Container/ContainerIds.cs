namespace Berth.Kubelet.Container;

/// <summary>
/// The <c>containerID</c> strings of container statuses (<c>berth://&lt;id&gt;</c>). Mirrors kubernetes/kubernetes
/// pkg/kubelet/container/runtime.go (ParseContainerID).
/// </summary>
public static class ContainerIds
{
    /// <summary>The id part of <c>type://id</c>; the input itself when it has no type prefix.</summary>
    public static string Parse(string containerId)
    {
        var separator = containerId.IndexOf("://", StringComparison.Ordinal);
        return separator < 0 ? containerId : containerId[(separator + 3)..];
    }
}
