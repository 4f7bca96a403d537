namespace Berth.Controllers.NodeLifecycle;

/// <summary>Settings of the <see cref="NodeLifecycleController"/>. Defaults equal kube-controller-manager 1.32's.</summary>
public sealed class NodeLifecycleOptions
{
    /// <summary>How long a node may go without a lease renewal or status heartbeat before it is marked Unknown (<c>--node-monitor-grace-period</c>, 40 s).</summary>
    public TimeSpan NodeMonitorGracePeriod { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>The same allowance for a node that never posted a Ready condition (<c>--node-startup-grace-period</c>, 60 s).</summary>
    public TimeSpan NodeStartupGracePeriod { get; init; } = TimeSpan.FromSeconds(60);
}
