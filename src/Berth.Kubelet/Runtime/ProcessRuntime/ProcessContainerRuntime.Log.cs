using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

public sealed partial class ProcessContainerRuntime
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Container runtime containment: {Containment}")]
        public static partial void ContainmentChosen(ILogger logger, string containment);

        [LoggerMessage(EventId = 4019, Level = LogLevel.Information, Message = "Pod socket addresses (wildcard and localhost binds moved onto the pod IP): {Enabled} ({Why})")]
        public static partial void PodSocketAddressesChosen(ILogger logger, bool enabled, string why);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Created container {Container} ({ContainerId}) of pod {PodUid}")]
        public static partial void Created(ILogger logger, string podUid, string container, string containerId);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Started container {Container} ({ContainerId}) of pod {PodUid}, pid {Pid}")]
        public static partial void Started(ILogger logger, string podUid, string container, string containerId, int pid);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Container {Container} ({ContainerId}) of pod {PodUid} exited with code {ExitCode}, reason {Reason}")]
        public static partial void Exited(ILogger logger, string podUid, string container, string containerId, int exitCode, string reason);

        [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Grace period {GracePeriod} of container {Container} ({ContainerId}) of pod {PodUid} is over: killed its process tree {KillLateness} after the deadline")]
        public static partial void KilledAtDeadline(ILogger logger, string podUid, string container, string containerId, TimeSpan gracePeriod, TimeSpan killLateness);

        [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Removed container {Container} ({ContainerId}) of pod {PodUid}")]
        public static partial void Removed(ILogger logger, string podUid, string container, string containerId);

        [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Adopted running container {Container} ({ContainerId}) of pod {PodUid}, pid {Pid}")]
        public static partial void Adopted(ILogger logger, string podUid, string container, string containerId, int pid);

        [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "Container {Container} ({ContainerId}) of pod {PodUid} ended while the agent was down: code {ExitCode}, reason {Reason}")]
        public static partial void AdoptedExited(ILogger logger, string podUid, string container, string containerId, int exitCode, string reason);

        [LoggerMessage(EventId = 4009, Level = LogLevel.Warning, Message = "Could not re-attach to container {ContainerId}; it is killed and reported as exited")]
        public static partial void AdoptionFailed(ILogger logger, string containerId, Exception exception);

        [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Log pipes of container {ContainerId} did not drain after it exited; the rest of its output is dropped")]
        public static partial void LogDrainTimedOut(ILogger logger, string containerId);

        [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Container shim: {Shim}")]
        public static partial void ShimChosen(ILogger logger, string shim);

        [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Container mount namespaces: {Enabled} ({Why})")]
        public static partial void MountNamespacesChosen(ILogger logger, bool enabled, string why);

        [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Memory limit of container {Container} ({ContainerId}) of pod {PodUid} is not enforced: containers get no cgroup here")]
        public static partial void MemoryLimitWithoutCgroup(ILogger logger, string podUid, string container, string containerId);

        [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Handling the exit of container {ContainerId} failed; it is reported with an unknown status")]
        public static partial void ExitHandlingFailed(ILogger logger, string containerId, Exception exception);
    }
}
