using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>A fact that needs private mount namespaces (CAP_SYS_ADMIN, unshare/nsenter/mount/chroot, overlay); skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MountNamespaceFactAttribute : FactAttribute
{
    public MountNamespaceFactAttribute()
    {
        if (MountNamespaceSupport.Detect(MountNamespaceMode.Auto, out var reason) is null)
        {
            Skip = "mount namespaces unavailable: " + reason;
        }
    }
}
