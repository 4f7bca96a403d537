using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.GarbageCollector;

/// <summary>
/// The owner→dependents graph, keyed by UID, fed by the informer handlers. A node is <i>observed</i> while the
/// informer has its object; an owner that is referenced but not (or no longer) observed stays as a <i>virtual</i>
/// node while it has dependents. Every mutation returns the UIDs whose sync may now have a different outcome; the
/// caller enqueues them. Thread-safe (one lock); views handed out are snapshots.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/garbagecollector/graph.go and graph_builder.go
/// (processGraphChanges: addDependentToOwners, removeDependentFromOwners, processTransitions).</remarks>
internal sealed class DependencyGraph
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Node> _nodes = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>An object of <paramref name="kind"/> was added or changed.</summary>
    public IReadOnlyCollection<string> Upsert(ResourceKind kind, JsonObject obj)
    {
        var uid = obj.GetUid();
        if (string.IsNullOrEmpty(uid))
        {
            return [];
        }
        var enqueue = new HashSet<string>();
        lock (_gate)
        {
            if (!_nodes.TryGetValue(uid, out var node))
            {
                node = new Node(uid);
                _nodes[uid] = node;
            }
            var old = node.Object;
            var current = GraphObject.Of(obj);
            var owners = OwnerRef.Of(obj);
            if (old is null || !owners.SequenceEqual(node.Owners) || old.DeletionStateDiffers(current))
            {
                enqueue.Add(uid);
            }
            if (current.IsDeletingDependents && (old is null || !old.IsDeletingDependents))
            {
                enqueue.UnionWith(node.Dependents);
            }
            foreach (var gone in node.Owners.Where(o => !owners.Any(n => n.Uid == o.Uid)))
            {
                DetachFromOwner(uid, gone.Uid, enqueue);
            }
            foreach (var added in owners.Where(o => !node.Owners.Any(n => n.Uid == o.Uid)))
            {
                if (!_nodes.TryGetValue(added.Uid, out var owner))
                {
                    owner = new Node(added.Uid);
                    _nodes[added.Uid] = owner;
                }
                owner.Dependents.Add(uid);
            }
            node.Kind = kind;
            node.Object = current;
            node.Owners = owners;
        }
        return enqueue;
    }

    /// <summary>An object was deleted (or its tombstone seen).</summary>
    public IReadOnlyCollection<string> Remove(JsonObject obj)
    {
        var uid = obj.GetUid();
        var enqueue = new HashSet<string>();
        lock (_gate)
        {
            if (uid is null || !_nodes.TryGetValue(uid, out var node))
            {
                return [];
            }
            foreach (var owner in node.Owners)
            {
                DetachFromOwner(uid, owner.Uid, enqueue);
            }
            if (node.Dependents.Count > 0)
            {
                enqueue.UnionWith(node.Dependents);
                node.Object = null;
                node.Owners = [];
            }
            else
            {
                _nodes.Remove(uid);
            }
        }
        return enqueue;
    }

    /// <summary>A snapshot of the node, or null when the graph does not know the UID.</summary>
    public NodeView? View(string uid)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(uid, out var node))
            {
                return null;
            }
            var dependents = node.Dependents.Select(d => _nodes[d]).Where(d => d.Object is not null)
                .Select(d => new DependentView(d.Uid, d.Kind!, d.Object!.ToJsonObject(), d.Owners.Any(o => o.Uid == uid && o.BlockOwnerDeletion),
                    d.Object!.IsDeletingDependents))
                .ToList();
            return new NodeView(uid, node.Kind, node.Object?.ToJsonObject(), node.Owners, dependents);
        }
    }

    private void DetachFromOwner(string uid, string ownerUid, HashSet<string> enqueue)
    {
        if (!_nodes.TryGetValue(ownerUid, out var owner))
        {
            return;
        }
        owner.Dependents.Remove(uid);
        if (owner.Object is null && owner.Dependents.Count == 0)
        {
            _nodes.Remove(ownerUid);
        }
        else if (owner.Object is { IsBeingDeleted: true })
        {
            enqueue.Add(ownerUid);
        }
    }

    private sealed class Node(string uid)
    {
        public string Uid { get; } = uid;

        public ResourceKind? Kind { get; set; }

        /// <summary>What the collector reads of the informer's object; null for a virtual node.</summary>
        public GraphObject? Object { get; set; }

        public IReadOnlyList<OwnerRef> Owners { get; set; } = [];

        public HashSet<string> Dependents { get; } = [];
    }
}

/// <summary>
/// A snapshot of one graph node. <see cref="Object"/> holds only the object's metadata the collector reads
/// (<see cref="GraphObject"/>), and is null for a virtual (referenced, unobserved) node.
/// </summary>
internal sealed record NodeView(string Uid, ResourceKind? Kind, JsonObject? Object, IReadOnlyList<OwnerRef> Owners, IReadOnlyList<DependentView> Dependents);

/// <summary>An observed dependent, with whether its reference to the owner blocks the owner's foreground deletion.</summary>
internal sealed record DependentView(string Uid, ResourceKind Kind, JsonObject Object, bool Blocking, bool DeletingDependents);
