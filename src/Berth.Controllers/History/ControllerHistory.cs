using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.History;

/// <summary>
/// <see cref="IControllerHistory"/> over a ControllerRevision informer cache and the API client. Thread-safe; holds
/// no state of its own.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/history/controller_history.go (realHistory).</remarks>
public sealed class ControllerHistory(IApiClient client, ILister revisions) : IControllerHistory
{
    /// <summary>Names tried before giving up on hash collisions (upstream loops without bound).</summary>
    private const int MaxCollisionAttempts = 100;

    public IReadOnlyList<JsonObject> ListControllerRevisions(JsonObject parent, LabelSelector selector)
    {
        var uid = parent.GetUid();
        return [.. revisions.List(parent.GetNamespace(), selector)
            .Where(r => OwnerReferences.GetControllerOf(r) is not { } owner || owner.GetString("uid") == uid)];
    }

    public async Task<CreatedRevision> CreateControllerRevisionAsync(JsonObject parent, JsonObject revision, long collisionCount,
        CancellationToken cancellationToken)
    {
        var ns = parent.GetNamespace();
        for (var attempt = 0; ; attempt++)
        {
            var clone = ApiJson.Clone(revision);
            var hash = RevisionHistory.HashControllerRevision(revision, collisionCount);
            clone.Metadata()["name"] = RevisionHistory.ControllerRevisionName(parent.GetName() ?? "", hash);
            clone.Metadata()["namespace"] = ns;
            try
            {
                var created = await client.CreateAsync(KindRegistry.ControllerRevisions, ns, clone, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                return new CreatedRevision(created, collisionCount);
            }
            catch (ApiException e) when (e.Code == 409 && e.Reason == StatusReason.AlreadyExists && attempt < MaxCollisionAttempts)
            {
                var exists = await client.GetAsync(KindRegistry.ControllerRevisions, ns, clone.GetName()!, cancellationToken).ConfigureAwait(false);
                if (RevisionComparison.EqualRevision(exists, clone))
                {
                    return new CreatedRevision(exists, collisionCount);
                }
                collisionCount++;
            }
        }
    }

    public async Task<JsonObject> UpdateControllerRevisionAsync(JsonObject revision, long newRevision, CancellationToken cancellationToken)
    {
        var written = await ObjectUpdater.UpdateAsync(client, KindRegistry.ControllerRevisions, revision.GetNamespace(), revision.GetName()!,
            revision.GetUid(), live =>
            {
                if (RevisionHistory.RevisionOf(live) == newRevision)
                {
                    return false;
                }
                live["revision"] = newRevision;
                return true;
            }, cancellationToken).ConfigureAwait(false);
        return written ?? revision;
    }

    public async Task DeleteControllerRevisionAsync(JsonObject revision, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KindRegistry.ControllerRevisions, revision.GetNamespace(), revision.GetName()!,
                new DeleteOptions(PreconditionUid: revision.GetUid()), cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Gone already, or replaced by another object of that name: nothing of ours to delete.
        }
    }
}
