using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Berth.Client.Events;

/// <summary>
/// Builds core/v1 Events for one <see cref="EventSource"/> and hands them to its <see cref="EventBroadcaster"/>.
/// Events about cluster-scoped objects (nodes) go to the <c>default</c> namespace, as upstream.
/// </summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/event.go (recorderImpl.generateEvent, makeEvent). Thread-safe.</remarks>
public sealed partial class EventRecorder(EventBroadcaster broadcaster, EventSource source, TimeProvider timeProvider, ILogger logger)
    : IEventRecorder
{
    public void Event(JsonObject involvedObject, string type, string reason, string message, string? fieldPath = null) =>
        Event(ObjectReference.FromObject(involvedObject, fieldPath), type, reason, message);

    public void Event(ObjectReference involvedObject, string type, string reason, string message)
    {
        if (!EventTypes.IsValid(type))
        {
            Log.InvalidType(logger, type, reason);
            return;
        }
        if (involvedObject.Name.Length == 0)
        {
            Log.NoObjectName(logger, reason);
            return;
        }
        var now = timeProvider.GetUtcNow();
        var record = new EventRecord(
            involvedObject.Namespace.Length > 0 ? involvedObject.Namespace : "default",
            EventRecord.MakeName(involvedObject.Name, now),
            involvedObject, type, reason, message, source, now, now, 1);
        Log.Recorded(logger, involvedObject.Kind, involvedObject.Namespace, involvedObject.Name, type, reason);
        broadcaster.Enqueue(record);
    }

    public void Eventf(JsonObject involvedObject, string type, string reason, string messageFormat, params object?[] args) =>
        Event(involvedObject, type, reason, string.Format(CultureInfo.InvariantCulture, messageFormat, args));

    public void Eventf(ObjectReference involvedObject, string type, string reason, string messageFormat, params object?[] args) =>
        Event(involvedObject, type, reason, string.Format(CultureInfo.InvariantCulture, messageFormat, args));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Error, Message = "Unsupported event type '{Type}' for reason {Reason}; event dropped")]
        public static partial void InvalidType(ILogger logger, string type, string reason);

        [LoggerMessage(EventId = 1406, Level = LogLevel.Error, Message = "Event {Reason} has an involved object without a name; event dropped")]
        public static partial void NoObjectName(ILogger logger, string reason);

        [LoggerMessage(EventId = 1405, Level = LogLevel.Debug, Message = "Event({Kind} {Namespace}/{Name}): type {Type} reason {Reason}")]
        public static partial void Recorded(ILogger logger, string kind, string @namespace, string name, string type, string reason);
    }
}
