using Microsoft.Extensions.Logging;

namespace Berth.Controllers.StatefulSet;

public sealed partial class StatefulSetControl
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2750, Level = LogLevel.Debug, Message = "StatefulSet {Namespace}/{Name} is waiting for Pod {Pod} to be Running, Ready and available")]
        public static partial void WaitingForPod(ILogger logger, string @namespace, string name, string pod);

        [LoggerMessage(EventId = 2751, Level = LogLevel.Debug, Message = "StatefulSet {Namespace}/{Name} is waiting for Pod {Pod} to terminate")]
        public static partial void WaitingForTermination(ILogger logger, string @namespace, string name, string pod);

        [LoggerMessage(EventId = 2752, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} of StatefulSet is terminating for scale down")]
        public static partial void TerminatingForScaleDown(ILogger logger, string @namespace, string pod);

        [LoggerMessage(EventId = 2753, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} of StatefulSet is terminating for update to revision {Revision}")]
        public static partial void TerminatingForUpdate(ILogger logger, string @namespace, string pod, string revision);

        [LoggerMessage(EventId = 2754, Level = LogLevel.Information, Message = "Pod {Namespace}/{Pod} of StatefulSet is {Phase}, deleting it to recreate")]
        public static partial void DeletingFinishedPod(ILogger logger, string @namespace, string pod, string phase);

        [LoggerMessage(EventId = 2755, Level = LogLevel.Warning, Message = "Writing status of StatefulSet {Namespace}/{Name} failed after a pod error")]
        public static partial void StatusUpdateFailed(ILogger logger, string @namespace, string name, Exception exception);
    }
}
