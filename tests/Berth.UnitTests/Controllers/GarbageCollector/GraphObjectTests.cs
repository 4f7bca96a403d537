using System.Text.Json.Nodes;
using Berth.Controllers.GarbageCollector;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.GarbageCollector;

public sealed class GraphObjectTests
{
    private static readonly JsonObject Deleting = ApiJson.ParseObject("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"a","uid":"u1","resourceVersion":"5",
        "deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["orphan","foregroundDeletion"],"labels":{"x":"y"},
        "ownerReferences":[{"uid":"o"}]},"spec":{"nodeName":"n"}}
        """u8);

    [Fact]
    public void ToJsonObject_FullObject_KeepsOnlyTheMetadataTheCollectorReads()
    {
        var kept = GraphObject.Of(Deleting).ToJsonObject();

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"metadata":{"name":"p","namespace":"a","uid":"u1","deletionTimestamp":"2026-01-01T00:00:00Z",
            "finalizers":["orphan","foregroundDeletion"]}}
            """), kept));
        Assert.True(GcFinalizers.IsDeletingDependents(kept));
        Assert.True(GcFinalizers.Has(kept, GcFinalizers.Orphan));
    }

    [Fact]
    public void Of_ClusterScopedWithoutFinalizers_NameAndUidOnly()
    {
        var node = GraphObject.Of(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "n1", ["uid"] = "u2" } });

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"metadata":{"name":"n1","uid":"u2"}}"""), node.ToJsonObject()));
        Assert.False(node.IsBeingDeleted);
        Assert.Empty(node.Finalizers);
    }

    [Fact]
    public void DeletionStateDiffers_FinalizerRemovedOrTimestampSet_True()
    {
        var deleting = GraphObject.Of(Deleting);
        var live = deleting with { DeletionTimestamp = null };
        var oneFinalizer = deleting with { Finalizers = ["orphan"] };

        Assert.True(deleting.IsDeletingDependents);
        Assert.False(deleting.DeletionStateDiffers(GraphObject.Of(Deleting)));
        Assert.True(deleting.DeletionStateDiffers(live));
        Assert.True(deleting.DeletionStateDiffers(oneFinalizer));
        Assert.False(oneFinalizer.IsDeletingDependents);
    }
}
