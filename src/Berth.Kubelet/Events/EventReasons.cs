namespace Berth.Kubelet.Events;

/// <summary>Event reasons the node agent emits, spelled exactly as upstream. Mirrors kubernetes/kubernetes pkg/kubelet/events/event.go.</summary>
public static class EventReasons
{
    public const string CreatedContainer = "Created";
    public const string StartedContainer = "Started";
    public const string FailedToCreateContainer = "Failed";
    public const string FailedToStartContainer = "Failed";
    public const string KillingContainer = "Killing";
    public const string PulledImage = "Pulled";
    public const string BackOffStartContainer = "BackOff";
    public const string ContainerUnhealthy = "Unhealthy";
    public const string ContainerProbeWarning = "ProbeWarning";
    public const string FailedPostStartHook = "FailedPostStartHook";
    public const string FailedPreStopHook = "FailedPreStopHook";
    public const string LifecycleHttpFallback = "LifecycleHTTPFallback";
    public const string FailedKillPod = "FailedKillPod";
    public const string ExceededGracePeriod = "ExceededGracePeriod";
    public const string FailedMountVolume = "FailedMount";
    public const string FailedCreatePodSandbox = "FailedCreatePodSandBox";
    public const string InvalidEnvironmentVariableNames = "InvalidEnvironmentVariableNames";
}
