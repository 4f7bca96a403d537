using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Scheduling;

public sealed partial class Scheduler
{
    /// <summary>
    /// One scheduling attempt for the pod named by <paramref name="key"/>: decide, assume, bind. A pod that no longer
    /// needs scheduling is dropped. A binding conflict (the pod was bound, deleted or gated meanwhile) is not an error:
    /// the informer will tell what happened. Other API failures throw, so the queue retries with back-off.
    /// </summary>
    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var podObject = _podInformer.Lister.Get(key.Namespace, key.Name);
        if (podObject is null || !NeedsScheduling(podObject))
        {
            _unschedulable.Remove(key);
            _waitingForVolumes.Remove(key);
            return;
        }
        var pod = _pods.ToModel(podObject);
        var volumes = _volumeBinding.PreFilter(podObject);
        var nodeNames = volumes.Failure is null ? [] : _nodes.List().Select(n => n.Metadata.Name).ToList();
        var result = nodeNames.Count > 0
            ? new ScheduleResult(null, FitError.PreFilterMessage(pod, nodeNames.Count, volumes.Failure!, nodeNames), new(), new())
            : Decide(pod, volumes);
        if (result.NodeName is null)
        {
            _waitingForVolumes.Remove(key);
            await HandleSchedulingFailureAsync(key, podObject, result.FailureMessage!, cancellationToken).ConfigureAwait(false);
            return;
        }
        var uid = pod.Metadata.Uid;
        if (!await VolumesReadyAsync(key, volumes, result.NodeName, cancellationToken).ConfigureAwait(false))
        {
            // The claims are being provisioned for the chosen node; their binding requeues the pod.
            _assumed.Forget(uid);
            return;
        }
        try
        {
            await BindAsync(pod, result.NodeName, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            _assumed.Forget(uid);
            Log.BindingRejected(Logger, key.Namespace, key.Name, e.Message);
            return;
        }
        catch
        {
            _assumed.Forget(uid);
            throw;
        }
        _unschedulable.Remove(key);
        _recorder.Eventf(podObject, EventTypes.Normal, "Scheduled", "Successfully assigned {0}/{1} to {2}", key.Namespace, key.Name, result.NodeName);
        Log.Scheduled(Logger, key.Namespace, key.Name, result.NodeName);
    }

    /// <summary>Builds the node snapshot, runs the filters and scores, and assumes the pod on the chosen node; serialised across workers.</summary>
    private ScheduleResult Decide(V1Pod pod, PodVolumes volumes)
    {
        lock (_decisionGate)
        {
            var nodes = new Dictionary<string, NodeInfo>(StringComparer.Ordinal);
            foreach (var node in _nodes.List())
            {
                nodes[node.Metadata.Name] = new NodeInfo(node);
            }
            var counted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, info) in nodes)
            {
                // JSON, not models: a node's pods are read on every attempt and a model per pod would stay cached.
                foreach (var bound in _podInformer.Lister.ByIndex(Client.Informers.Indexers.NodeNameIndex, name))
                {
                    if (bound.GetString("status", "phase") is not ("Succeeded" or "Failed"))
                    {
                        info.AddPod(bound);
                        counted.Add(bound.GetUid() ?? "");
                    }
                }
            }
            _assumed.AddTo(nodes, counted);
            var result = ScheduleOne.SchedulePod(pod, [.. nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal)], volumes);
            if (result.NodeName is not null)
            {
                _assumed.Assume(pod.Metadata.Uid, result.NodeName, result.Requests, result.NonZeroRequests, HostPorts.Of(pod));
            }
            return result;
        }
    }

    private Task BindAsync(V1Pod pod, string nodeName, CancellationToken cancellationToken)
    {
        var binding = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Binding",
            ["metadata"] = new JsonObject { ["name"] = pod.Metadata.Name, ["namespace"] = pod.Metadata.NamespaceProperty, ["uid"] = pod.Metadata.Uid },
            ["target"] = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = nodeName },
        };
        return _client.CreateAsync(KindRegistry.Pods, pod.Metadata.NamespaceProperty, pod.Metadata.Name, "binding", binding,
            cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Records FailedScheduling, sets PodScheduled=False/Unschedulable with the message (only when it changed, so
    /// repeated attempts do not rewrite the pod), and parks the pod until a cluster change or the periodic flush.
    /// </summary>
    private async Task HandleSchedulingFailureAsync(ObjectKey key, JsonObject pod, string message, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        _unschedulable.Add(key, now);
        EnqueueAfter(pod, _options.PodMaxInUnschedulablePodsDuration);
        _recorder.Event(pod, EventTypes.Warning, "FailedScheduling", message);
        Log.Unschedulable(Logger, key.Namespace, key.Name, message);
        var existing = (pod.GetArray("status", "conditions") ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "PodScheduled");
        if (existing?.GetString("status") == "False" && existing.GetString("reason") == "Unschedulable" && existing.GetString("message") == message)
        {
            return;
        }
        var transition = existing?.GetString("status") == "False" ? existing.GetString("lastTransitionTime") : MetaTimes.Format(now);
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "PodScheduled", ["status"] = "False", ["lastProbeTime"] = null,
                    ["lastTransitionTime"] = transition, ["reason"] = "Unschedulable", ["message"] = message,
                }),
            },
        };
        try
        {
            await _client.PatchAsync(KindRegistry.Pods, key.Namespace, key.Name, PatchType.StrategicMerge, patch, "status",
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Deleted meanwhile: nothing to report on.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Successfully bound pod {Namespace}/{Pod} to node {Node}")]
        public static partial void Scheduled(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Unable to schedule pod {Namespace}/{Pod}: {Reason}")]
        public static partial void Unschedulable(ILogger logger, string @namespace, string pod, string reason);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Binding of pod {Namespace}/{Pod} rejected: {Reason}")]
        public static partial void BindingRejected(ILogger logger, string @namespace, string pod, string reason);
    }
}
