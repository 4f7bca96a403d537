using System.Text.Json.Nodes;

namespace Berth.Client.Events;

/// <summary>
/// Records Events about objects. Calls never block and never throw for API problems: the event is queued and written
/// in the background (deduplicated, aggregated, rate-limited, retried); when the queue is full it is dropped with a
/// log line. An invalid <c>type</c> (not Normal/Warning) is logged and dropped. Messages are user-visible: never put
/// secrets, environment values or hook output in them.
/// </summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/event.go (EventRecorder). Thread-safe.</remarks>
public interface IEventRecorder
{
    /// <param name="involvedObject">The object in storage form (apiVersion, kind, metadata); read, not retained.</param>
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">A short CamelCase reason, e.g. <c>Killing</c>.</param>
    /// <param name="fieldPath">The part of the object, e.g. <c>spec.containers{web}</c>.</param>
    void Event(JsonObject involvedObject, string type, string reason, string message, string? fieldPath = null);

    void Event(ObjectReference involvedObject, string type, string reason, string message);

    /// <summary><see cref="Event(JsonObject, string, string, string, string?)"/> with a composite format message (<c>{0}</c> placeholders, invariant culture).</summary>
    void Eventf(JsonObject involvedObject, string type, string reason, string messageFormat, params object?[] args);

    void Eventf(ObjectReference involvedObject, string type, string reason, string messageFormat, params object?[] args);
}
