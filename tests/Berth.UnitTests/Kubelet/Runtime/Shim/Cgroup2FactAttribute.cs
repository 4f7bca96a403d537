using Berth.Kubelet.Runtime.ProcessRuntime.Containment;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Runtime.Shim;

/// <summary>A fact that needs a writable cgroup2 hierarchy (normally: root); skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class Cgroup2FactAttribute : FactAttribute
{
    public Cgroup2FactAttribute()
    {
        if (CgroupManager.TryCreate("berth.slice", NullLogger.Instance, out var reason) is null)
        {
            Skip = "no writable cgroup2 hierarchy: " + reason;
        }
    }
}
