using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Testing.Fakes;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>
/// Forwards to another <see cref="IApiClient"/> and records every pod delete with its options. A successful pod delete
/// also drops the <see cref="HoldFinalizer"/> the harness uses to emulate graceful deletion, so the object goes.
/// </summary>
internal sealed class DeleteRecordingApiClient(IApiClient inner) : DelegatingApiClient(inner)
{
    public const string HoldFinalizer = "berth.test/graceful-delete";

    private readonly ConcurrentQueue<(string Name, DeleteOptions? Options)> _deletes = new();

    public IReadOnlyList<(string Name, DeleteOptions? Options)> Deletes => [.. _deletes];

    public override async Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (kind != KindRegistry.Pods)
        {
            return await Inner.DeleteAsync(kind, ns, name, options, cancellationToken);
        }

        _deletes.Enqueue((name, options));
        var result = await Inner.DeleteAsync(kind, ns, name, options, cancellationToken);
        if (!result.Deleted)
        {
            await RemoveAsync(name);
        }

        return result;
    }

    /// <summary>Drops every finalizer of a deleting pod, which removes it.</summary>
    public Task RemoveAsync(string name) =>
        Inner.PatchAsync(KindRegistry.Pods, "default", name, PatchType.Merge,
            new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null, ["deletionTimestamp"] = "2025-01-01T00:00:00Z" } });
}
