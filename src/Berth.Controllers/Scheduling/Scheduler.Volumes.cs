using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Controllers.Volume;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// Claim, volume and class changes can make parked pods schedulable (a missing claim created, a claim bound):
    /// they requeue the unschedulable pods and the pods waiting for their claims to be bound.
    /// </summary>
    private void AddVolumeEventHandlers(SharedInformer claims, SharedInformer volumes, SharedInformer classes)
    {
        var changed = new ResourceEventHandlerFuncs
        {
            AddFunc = (_, _) => OnVolumeObjectChanged(),
            UpdateFunc = (_, _) => OnVolumeObjectChanged(),
        };
        claims.AddEventHandler(changed);
        volumes.AddEventHandler(changed);
        classes.AddEventHandler(changed);
    }

    private void OnVolumeObjectChanged()
    {
        foreach (var key in _waitingForVolumes.Snapshot())
        {
            Enqueue(key);
        }
        MoveAllToActive();
    }

    /// <summary>
    /// Upstream's PreBind for delayed claims: writes the chosen node on every claim that does not name it yet and
    /// parks the pod until the binder has bound them all (a claim event requeues it). Returns false while waiting.
    /// </summary>
    private async Task<bool> VolumesReadyAsync(ObjectKey key, PodVolumes volumes, string nodeName, CancellationToken cancellationToken)
    {
        if (volumes.DelayedClaims.Count == 0)
        {
            _waitingForVolumes.Remove(key);
            return true;
        }
        _waitingForVolumes.Add(key);
        foreach (var claim in volumes.DelayedClaims)
        {
            if (claim.GetString("metadata", "annotations", VolumeAnnotations.SelectedNode) == nodeName)
            {
                continue;
            }
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [VolumeAnnotations.SelectedNode] = nodeName } },
            };
            try
            {
                await _client.PatchAsync(KindRegistry.PersistentVolumeClaims, key.Namespace, claim.GetName()!, PatchType.StrategicMerge, patch,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted meanwhile: the next attempt reports it.
            }
        }
        return false;
    }

    /// <summary>The pods whose delayed claims were given a node and are not bound yet. Thread-safe.</summary>
    private sealed class WaitingForVolumes
    {
        private readonly HashSet<ObjectKey> _keys = [];

        public void Add(ObjectKey key)
        {
            lock (_keys)
            {
                _keys.Add(key);
            }
        }

        public void Remove(ObjectKey key)
        {
            lock (_keys)
            {
                _keys.Remove(key);
            }
        }

        public List<ObjectKey> Snapshot()
        {
            lock (_keys)
            {
                return [.. _keys];
            }
        }
    }
}
