using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client.Events;

namespace Berth.UnitTests.Kubelet.Node;

/// <summary>An <see cref="IEventRecorder"/> that keeps every event in memory, for assertions. Thread-safe.</summary>
internal sealed class RecordingEventRecorder : IEventRecorder
{
    private readonly object _gate = new();
    private readonly List<RecordedEvent> _events = [];

    public IReadOnlyList<RecordedEvent> Events
    {
        get { lock (_gate) { return [.. _events]; } }
    }

    /// <summary>
    /// Waits (bounded) for an event that matches <paramref name="match"/> and returns the first. Controllers record an
    /// event after the write it reports, so a test that has already seen the write still has to wait for the event.
    /// </summary>
    public async Task<RecordedEvent> WaitForAsync(Func<RecordedEvent, bool> match)
    {
        RecordedEvent? found = null;
        await AsyncTestHelpers.WaitUntilAsync(() => (found = Events.FirstOrDefault(match)) is not null, because: "the event is recorded");
        return found!;
    }

    public void Event(JsonObject involvedObject, string type, string reason, string message, string? fieldPath = null) =>
        Event(ObjectReference.FromObject(involvedObject, fieldPath), type, reason, message);

    public void Event(ObjectReference involvedObject, string type, string reason, string message)
    {
        lock (_gate)
        {
            _events.Add(new RecordedEvent(involvedObject, type, reason, message));
        }
    }

    public void Eventf(JsonObject involvedObject, string type, string reason, string messageFormat, params object?[] args) =>
        Event(involvedObject, type, reason, string.Format(CultureInfo.InvariantCulture, messageFormat, args));

    public void Eventf(ObjectReference involvedObject, string type, string reason, string messageFormat, params object?[] args) =>
        Event(involvedObject, type, reason, string.Format(CultureInfo.InvariantCulture, messageFormat, args));
}

internal sealed record RecordedEvent(ObjectReference Object, string Type, string Reason, string Message);
