namespace Berth.Controllers.Scheduling;

/// <summary>Settings of the <see cref="Scheduler"/>. Defaults equal kube-scheduler's.</summary>
public sealed class SchedulerOptions
{
    /// <summary>Pods whose <c>spec.schedulerName</c> is this (or empty) are scheduled.</summary>
    public string SchedulerName { get; init; } = "default-scheduler";

    /// <summary>Back-off after a pod's first failed attempt before a cluster change may retry it (<c>podInitialBackoffSeconds</c>, 1 s).</summary>
    public TimeSpan PodInitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest back-off between attempts of one pod (<c>podMaxBackoffSeconds</c>, 10 s).</summary>
    public TimeSpan PodMaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>An unschedulable pod is retried after this long even if nothing changed (<c>podMaxInUnschedulablePodsDuration</c>, 5 min).</summary>
    public TimeSpan PodMaxInUnschedulablePodsDuration { get; init; } = TimeSpan.FromMinutes(5);
}
