using System.Text.Json.Nodes;
using Berth.Controllers.Util;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.StatefulSet;

public sealed partial class StatefulSetController
{
    /// <summary>
    /// One level-triggered pass over a StatefulSet (upstream sync and syncStatefulSet): adopt orphan revisions, claim
    /// the pods named after the set (terminating ones included, since ordered steps wait for them), run
    /// <see cref="StatefulSetControl.UpdateStatefulSetAsync"/>, and look again after minReadySeconds while pods are
    /// ready but not yet available. A set that is gone needs no cleanup: its pods and revisions belong to the
    /// garbage collector.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var set = _sets.Lister.Get(key.Namespace, key.Name);
        if (set is null)
        {
            return;
        }
        var selector = LabelSelector.FromLabelSelectorJson(set.GetObject("spec", "selector"));
        if (selector.IsEmpty || selector.IsNothing)
        {
            return;
        }
        await AdoptOrphanRevisionsAsync(set, selector, cancellationToken).ConfigureAwait(false);
        var candidates = _pods.Lister.List(key.Namespace).Where(p => StatefulSetUtils.IsMemberOf(set, p)).ToList();
        var manager = new ControllerRefManager(_client, KindRegistry.Pods, set, selector, ct => CanAdoptAsync(set, ct));
        var pods = await manager.ClaimAsync(candidates, cancellationToken).ConfigureAwait(false);

        var status = await _control.UpdateStatefulSetAsync(set, pods, cancellationToken).ConfigureAwait(false);
        var minReady = set.GetLong("spec", "minReadySeconds") ?? 0;
        if (minReady > 0 && status.AvailableReplicas != StatefulSetUtils.Replicas(set))
        {
            Queue.AddAfter(key, TimeSpan.FromSeconds(minReady));
        }
    }

    /// <summary>Adopts revisions that match the selector and have no controller (e.g. left by an orphaning delete of an earlier set of that name).</summary>
    private async Task AdoptOrphanRevisionsAsync(JsonObject set, LabelSelector selector, CancellationToken cancellationToken)
    {
        var orphans = _control.ListRevisions(set).Where(r => OwnerReferences.GetControllerOf(r) is null).ToList();
        if (orphans.Count == 0)
        {
            return;
        }
        var manager = new ControllerRefManager(_client, KindRegistry.ControllerRevisions, set, selector, ct => CanAdoptAsync(set, ct));
        await manager.ClaimAsync(orphans, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Live re-read before the first adoption: a set being deleted (or replaced) adopts nothing.</summary>
    private async Task<bool> CanAdoptAsync(JsonObject set, CancellationToken cancellationToken)
    {
        try
        {
            var fresh = await _client.GetAsync(KindRegistry.StatefulSets, set.GetNamespace(), set.GetName()!, cancellationToken).ConfigureAwait(false);
            return fresh.GetUid() == set.GetUid() && fresh.GetString("metadata", "deletionTimestamp") is null;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }
}
