using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Testing.Fakes;

namespace Berth.UnitTests.Client.Events;

/// <summary>
/// Forwards to another <see cref="IApiClient"/>; an Event create about an involved object named in
/// <see cref="Hold"/> waits until that object is released (asynchronously, so other writes go on meanwhile). Records
/// the reasons of the Events created, in order.
/// </summary>
internal sealed class GatedEventApiClient(IApiClient inner) : DelegatingApiClient(inner)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _created = new();

    /// <summary>"involvedName/reason" of every Event created, in the order the creates completed.</summary>
    public IReadOnlyList<string> Created => [.. _created];

    public void Hold(string involvedName) => _held[involvedName] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release(string involvedName)
    {
        if (_held.TryRemove(involvedName, out var gate))
        {
            gate.TrySetResult();
        }
    }

    public override async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var involved = obj.GetString("involvedObject", "name") ?? "";
        if (kind == KindRegistry.Events && _held.TryGetValue(involved, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        var created = await Inner.CreateAsync(kind, ns, obj, options, cancellationToken);
        _created.Enqueue(involved + "/" + obj.GetString("reason"));
        return created;
    }
}
