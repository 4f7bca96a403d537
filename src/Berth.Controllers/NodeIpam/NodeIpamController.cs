using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.NodeIpam;

/// <summary>
/// Gives every Node a pod address range: a node without <c>spec.podCIDR</c> gets the next free subnet of the cluster
/// CIDR (<c>spec.podCIDR</c> and <c>spec.podCIDRs</c>), a node that has one keeps it, a deleted node's range is freed.
/// The Node objects are the only record: before the first sync the bitmap is rebuilt from every node's podCIDRs, so a
/// restarted server never hands out a range twice.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/nodeipam/ipam/range_allocator.go (NewCIDRRangeAllocator occupying
/// existing nodes' CIDRs, AllocateOrOccupyCIDR, ReleaseCIDR, updateCIDRsAllocation) in the <see cref="ControllerBase"/>
/// shape. The write is a PUT of the freshly read node (resourceVersion precondition) rather than a patch, so a
/// concurrent assignment is a 409 that releases our subnet and retries, never a second range. A range outside the
/// cluster CIDR (set by hand or by <c>--pod-cidr</c>) is left alone. Events: <c>CIDRNotAvailable</c> when the cluster
/// CIDR is full, <c>CIDRAssignmentFailed</c> when the write fails.
/// </remarks>
public sealed partial class NodeIpamController : ControllerBase
{
    private readonly IApiClient _client;
    private readonly IEventRecorder _recorder;
    private readonly ISharedInformer _nodes;
    private readonly object _occupyGate = new();
    private bool _occupied;

    /// <param name="recorder">A recorder for source component <c>cidrAllocator</c>.</param>
    public NodeIpamController(SharedInformerFactory informers, IApiClient client, IEventRecorder recorder, TimeProvider timeProvider,
        ILogger<NodeIpamController> logger, NodeIpamOptions? options = null)
        : base("node-ipam", [informers.InformerFor(KindRegistry.Nodes)], timeProvider, logger)
    {
        var settings = options ?? new NodeIpamOptions();
        Cidrs = new CidrSet(settings.ClusterCidr, settings.NodeCidrMaskSize);
        _client = client;
        _recorder = recorder;
        _nodes = informers.InformerFor(KindRegistry.Nodes);
        _nodes.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (node, _) => Enqueue(node),
            UpdateFunc = (_, node) => Enqueue(node),
            DeleteFunc = (node, tombstone) => ReleaseCidrs(node),
        });
    }

    /// <summary>The subnets and which are taken (exposed for tests and diagnostics).</summary>
    public CidrSet Cidrs { get; }

    protected override async Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        OccupyExistingOnce();
        var cached = _nodes.Lister.Get(null, key.Name);
        if (cached is null || PodCidrs(cached).Count > 0)
        {
            if (cached is not null)
            {
                Occupy(cached);
            }
            return;
        }
        JsonObject node;
        try
        {
            node = await _client.GetAsync(KindRegistry.Nodes, null, key.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return;
        }
        if (PodCidrs(node).Count > 0)
        {
            Occupy(node);
            return;
        }
        await AllocateAsync(node, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Takes the next subnet and writes it to the node; on any failure the subnet is freed and the error rethrown (retry).</summary>
    private async Task AllocateAsync(JsonObject node, CancellationToken cancellationToken)
    {
        var name = node.GetName() ?? "";
        string cidr;
        try
        {
            cidr = Cidrs.AllocateNext();
        }
        catch (InvalidOperationException e)
        {
            _recorder.Event(NodeReference(node), EventTypes.Normal, "CIDRNotAvailable", $"Node {name} status is now: CIDRNotAvailable");
            Log.NoCidrLeft(Logger, name, Cidrs.ClusterCidr);
            throw new InvalidOperationException($"failed to allocate cidr from cluster cidr: {e.Message}", e);
        }
        node.SetPath(cidr, "spec", "podCIDR");
        node.SetPath(new JsonArray(cidr), "spec", "podCIDRs");
        try
        {
            await _client.UpdateAsync(KindRegistry.Nodes, null, node, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Cidrs.Release(cidr);
            _recorder.Event(NodeReference(node), EventTypes.Warning, "CIDRAssignmentFailed", $"Node {name} status is now: CIDRAssignmentFailed");
            Log.AssignmentFailed(Logger, name, cidr, e);
            throw;
        }
        Log.Assigned(Logger, name, cidr);
    }

    /// <summary>Upstream occupies every existing node's CIDRs when the allocator is built; here before the first sync (the cache is synced then).</summary>
    private void OccupyExistingOnce()
    {
        lock (_occupyGate)
        {
            if (_occupied)
            {
                return;
            }
            foreach (var node in _nodes.Lister.List())
            {
                Occupy(node);
            }
            _occupied = true;
        }
    }

    private void Occupy(JsonObject node)
    {
        foreach (var cidr in PodCidrs(node))
        {
            if (Cidrs.Contains(cidr))
            {
                Cidrs.Occupy(cidr);
            }
            else
            {
                Log.OutsideClusterCidr(Logger, node.GetName() ?? "", cidr, Cidrs.ClusterCidr);
            }
        }
    }

    private void ReleaseCidrs(JsonObject node)
    {
        foreach (var cidr in PodCidrs(node).Where(Cidrs.Contains))
        {
            Cidrs.Release(cidr);
            Log.Released(Logger, node.GetName() ?? "", cidr);
        }
    }

    /// <summary>spec.podCIDRs, or spec.podCIDR alone for nodes written by older clients.</summary>
    public static IReadOnlyList<string> PodCidrs(JsonObject node)
    {
        var list = node.GetArray("spec", "podCIDRs")?.Select(c => c?.GetValue<string>()).OfType<string>().Where(c => c.Length > 0).ToList() ?? [];
        if (list.Count == 0 && node.GetString("spec", "podCIDR") is { Length: > 0 } single)
        {
            list.Add(single);
        }
        return list;
    }

    private static ObjectReference NodeReference(JsonObject node) =>
        new("Node", "", node.GetName() ?? "", node.GetName() ?? "", "v1", "");

    private static partial class Log
    {
        [LoggerMessage(EventId = 4600, Level = LogLevel.Information, Message = "Set node {Node} PodCIDR to {Cidr}")]
        public static partial void Assigned(ILogger logger, string node, string cidr);

        [LoggerMessage(EventId = 4601, Level = LogLevel.Warning, Message = "Failed to update node {Node} PodCIDR to {Cidr}; released it, will retry")]
        public static partial void AssignmentFailed(ILogger logger, string node, string cidr, Exception exception);

        [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "No CIDR left for node {Node} in cluster CIDR {ClusterCidr}")]
        public static partial void NoCidrLeft(ILogger logger, string node, string clusterCidr);

        [LoggerMessage(EventId = 4603, Level = LogLevel.Information, Message = "Node {Node} has PodCIDR {Cidr} outside cluster CIDR {ClusterCidr}; leaving it alone")]
        public static partial void OutsideClusterCidr(ILogger logger, string node, string cidr, string clusterCidr);

        [LoggerMessage(EventId = 4604, Level = LogLevel.Information, Message = "Released PodCIDR {Cidr} of deleted node {Node}")]
        public static partial void Released(ILogger logger, string node, string cidr);
    }
}
