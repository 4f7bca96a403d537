using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Events;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>An <see cref="IEventRecorder"/> that keeps every event with the (fake) time it was recorded at.</summary>
internal sealed class RecordingEventRecorder(TimeProvider time) : IEventRecorder
{
    private readonly Lock _gate = new();
    private readonly List<RecordedEvent> _events = [];

    public IReadOnlyList<RecordedEvent> Events
    {
        get { lock (_gate) { return [.. _events]; } }
    }

    public IReadOnlyList<RecordedEvent> WithReason(string reason) => [.. Events.Where(e => e.Reason == reason)];

    public void Event(JsonObject involvedObject, string type, string reason, string message, string? fieldPath = null) =>
        Add(new RecordedEvent(time.GetUtcNow(), type, reason, message, fieldPath ?? ""));

    public void Event(ObjectReference involvedObject, string type, string reason, string message) =>
        Add(new RecordedEvent(time.GetUtcNow(), type, reason, message, involvedObject.FieldPath));

    public void Eventf(JsonObject involvedObject, string type, string reason, string messageFormat, params object?[] args) =>
        Event(involvedObject, type, reason, string.Format(CultureInfo.InvariantCulture, messageFormat, args));

    public void Eventf(ObjectReference involvedObject, string type, string reason, string messageFormat, params object?[] args) =>
        Event(involvedObject, type, reason, string.Format(CultureInfo.InvariantCulture, messageFormat, args));

    private void Add(RecordedEvent e)
    {
        lock (_gate)
        {
            _events.Add(e);
        }
    }
}

internal sealed record RecordedEvent(DateTimeOffset Time, string Type, string Reason, string Message, string FieldPath);
