using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;

namespace Berth.Registry.Generic;

/// <summary>Where the registry's writes meet <see cref="PodStartQueue"/>: a pod create takes a seat; a status write or a delete of the pod gives it back.</summary>
public sealed partial class ApiRegistry
{
    /// <summary>
    /// A pod create (not a dry run) waits here for a start seat, before its admission, so quota is charged only once
    /// it goes ahead. Null: no seat (not a gated pod, no queue, or the wait ran out).
    /// </summary>
    private ValueTask<PodStartQueue.Seat?> AcquirePodStartSeatAsync(ResourceKind kind, System.Text.Json.Nodes.JsonObject pod, WriteOptions options,
        CancellationToken cancellationToken) =>
        kind == KindRegistry.Pods && !options.DryRun && _options.PodStarts is { } podStarts
            ? podStarts.AcquireAsync(pod, cancellationToken)
            : ValueTask.FromResult<PodStartQueue.Seat?>(null);

    /// <summary>Ties <paramref name="seat"/> to the pod's uid when the registry admits the object, before its store write.</summary>
    private WriteOptions Seated(WriteOptions options, PodStartQueue.Seat seat)
    {
        var admit = options.Admit;
        var podStarts = _options.PodStarts!;
        var held = 0;
        return options with
        {
            Admit = (obj, old) =>
            {
                admit?.Invoke(obj, old);
                if (obj.GetUid() is { } uid && Interlocked.Exchange(ref held, 1) == 0)
                {
                    podStarts.Hold(seat, uid);
                }
            },
        };
    }

    /// <summary>
    /// Whether a write must look for a seat to free: only a pod status write while some seat is taken (a pod's seat is
    /// taken before its store write, so before anyone can write its status).
    /// </summary>
    private bool ReleasesPodStart(ResourceKind kind, UpdateTarget target) =>
        kind == KindRegistry.Pods && target == UpdateTarget.Status && _options.PodStarts is { InUse: > 0 };

    private async Task<WriteResult> ReleasePodStartAfter(Task<WriteResult> write)
    {
        var result = await write.ConfigureAwait(false);
        _options.PodStarts!.Release(result.Object.GetUid());
        return result;
    }

    private async Task<DeleteResult> ReleasePodStartAfter(Task<DeleteResult> delete)
    {
        var result = await delete.ConfigureAwait(false);
        _options.PodStarts!.Release(result.Object.GetUid());
        return result;
    }
}
