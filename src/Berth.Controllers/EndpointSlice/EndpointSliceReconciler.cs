using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// Computes the minimal writes that turn a Service's existing slices into its desired endpoints: endpoints stay in the
/// slice they are in (changed ones are replaced in place), new endpoints fill slices that are being written anyway,
/// then slices with room, then new slices of at most <see cref="MaxEndpointsPerSlice"/>; slices left empty are deleted,
/// except that a Service without endpoints keeps one empty placeholder slice. Unchanged slices are not written.
/// Pure: reads cached objects, never mutates them, does no I/O.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/endpointslice/reconciler.go (reconcileByAddressType,
/// placeholderSliceCompare) with simplified placement.
/// </summary>
internal sealed class EndpointSliceReconciler(int maxEndpointsPerSlice = EndpointSliceReconciler.MaxEndpointsPerSlice)
{
    /// <summary>Upstream's default <c>--max-endpoints-per-slice</c>.</summary>
    public const int MaxEndpointsPerSlice = 100;

    public SlicePlan Reconcile(JsonObject svc, IEnumerable<JsonObject> pods, IReadOnlyList<JsonObject> existing)
    {
        var desired = DesiredEndpoints.For(svc, pods);
        var labels = EndpointSliceLabels.For(svc);
        var kept = new List<WorkingSlice>();
        var toDelete = new List<JsonObject>();
        foreach (var slice in existing.OrderBy(s => s.GetName(), StringComparer.Ordinal))
        {
            var working = Retain(slice, desired, labels);
            (working is null ? toDelete : null)?.Add(slice);
            if (working is not null)
            {
                kept.Add(working);
            }
        }
        var toCreate = new List<JsonObject>();
        foreach (var (_, (ports, endpoints)) in desired.Groups)
        {
            Place(svc, labels, ports, endpoints.Values.ToList(), kept, toCreate);
        }
        foreach (var empty in kept.Where(k => k.Endpoints.Count == 0).ToList())
        {
            kept.Remove(empty);
            toDelete.Add(empty.Original);
        }
        if (kept.Count == 0 && toCreate.Count == 0)
        {
            KeepPlaceholder(svc, labels, toDelete, kept, toCreate);
        }
        var toUpdate = kept.Where(k => k.Changed).Select(k => k.Build(labels)).ToList();
        return new SlicePlan(toCreate, toUpdate, toDelete);
    }

    /// <summary>
    /// The part of an existing slice that stays: endpoints still desired (desired values win). Null when its port set
    /// is no longer wanted; an emptied slice may still take new endpoints of its port set, or is deleted.
    /// </summary>
    private static WorkingSlice? Retain(JsonObject slice, DesiredEndpoints desired, JsonObject labels)
    {
        var portsKey = DesiredEndpoints.PortsKey(slice["ports"] as JsonArray);
        var old = slice["endpoints"] as JsonArray ?? [];
        if (!desired.Groups.TryGetValue(portsKey, out var group) || old.Count == 0)
        {
            return null;
        }
        var working = new WorkingSlice(slice, portsKey);
        foreach (var endpoint in old.OfType<JsonObject>())
        {
            if (group.Endpoints.Remove(DesiredEndpoints.EndpointKey(endpoint), out var want))
            {
                working.Endpoints.Add(want);
            }
        }
        working.Changed = !JsonNode.DeepEquals(new JsonArray([.. working.Endpoints.Select(e => e.DeepClone())]), old) ||
            !JsonNode.DeepEquals(slice.GetObject("metadata", "labels"), labels);
        return working;
    }

    /// <summary>Puts new endpoints of one port set into slices being written, then slices with room, then new slices.</summary>
    private void Place(JsonObject svc, JsonObject labels, JsonArray ports, List<JsonObject> pending, List<WorkingSlice> kept, List<JsonObject> toCreate)
    {
        var portsKey = DesiredEndpoints.PortsKey(ports);
        foreach (var slice in kept.Where(k => k.PortsKey == portsKey).OrderByDescending(k => k.Changed))
        {
            while (pending.Count > 0 && slice.Endpoints.Count < maxEndpointsPerSlice)
            {
                slice.Endpoints.Add(pending[0]);
                pending.RemoveAt(0);
                slice.Changed = true;
            }
        }
        for (var i = 0; i < pending.Count; i += maxEndpointsPerSlice)
        {
            toCreate.Add(NewSlice(svc, labels, ports, pending.Skip(i).Take(maxEndpointsPerSlice)));
        }
    }

    /// <summary>No endpoints at all: reuse one doomed slice as the empty placeholder (one update instead of delete+create), else create it.</summary>
    private static void KeepPlaceholder(JsonObject svc, JsonObject labels, List<JsonObject> toDelete, List<WorkingSlice> kept, List<JsonObject> toCreate)
    {
        var reuse = toDelete.FirstOrDefault();
        if (reuse is null)
        {
            toCreate.Add(NewSlice(svc, labels, null, []));
            return;
        }
        toDelete.Remove(reuse);
        var placeholder = new WorkingSlice(reuse, "") { DropPorts = true };
        placeholder.Changed = reuse["ports"] is JsonArray { Count: > 0 } || reuse["endpoints"] is JsonArray { Count: > 0 } ||
            !JsonNode.DeepEquals(reuse.GetObject("metadata", "labels"), labels);
        kept.Add(placeholder);
    }

    private static JsonObject NewSlice(JsonObject svc, JsonObject labels, JsonArray? ports, IEnumerable<JsonObject> endpoints)
    {
        var slice = new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject
            {
                ["generateName"] = svc.GetName() + "-",
                ["namespace"] = svc.GetNamespace(),
                ["labels"] = labels.DeepClone(),
                ["ownerReferences"] = new JsonArray(OwnerReference(svc)),
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray([.. endpoints.Select(e => e.DeepClone())]),
        };
        if (ports is { Count: > 0 })
        {
            slice["ports"] = ports.DeepClone();
        }
        return slice;
    }

    private static JsonObject OwnerReference(JsonObject svc) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["name"] = svc.GetName(),
        ["uid"] = svc.GetUid(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    /// <summary>An existing slice being reworked during one reconcile.</summary>
    private sealed class WorkingSlice(JsonObject original, string portsKey)
    {
        public JsonObject Original { get; } = original;

        public string PortsKey { get; } = portsKey;

        public List<JsonObject> Endpoints { get; } = [];

        public bool Changed { get; set; }

        public bool DropPorts { get; init; }

        /// <summary>A copy of the original with the new endpoints and labels (resourceVersion kept as the precondition).</summary>
        public JsonObject Build(JsonObject labels)
        {
            var slice = Original.DeepClone().AsObject();
            slice["endpoints"] = new JsonArray([.. Endpoints.Select(e => e.DeepClone())]);
            slice.Metadata()["labels"] = labels.DeepClone();
            if (DropPorts)
            {
                slice.Remove("ports");
            }
            return slice;
        }
    }
}
