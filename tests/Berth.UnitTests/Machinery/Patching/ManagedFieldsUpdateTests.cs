using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>Ownership recorded by non-apply writes, and the managedFields list's shape.</summary>
public sealed class ManagedFieldsUpdateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RecordUpdate_ThroughSubresource_KeepsAnEntryPerSubresource()
    {
        var created = Created("""{"metadata":{"name":"c"},"spec":{"replicas":1},"status":{"replicas":0}}""", "kubectl-create", KindRegistry.Deployments);
        var scaled = Changed(created, o => o["spec"]!["replicas"] = 3);
        ManagedFields.RecordUpdate(scaled, created, KindRegistry.Deployments, "kubectl", Now.AddMinutes(1), "scale");
        var entries = scaled["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal([("kubectl-create", null), ("kubectl", "scale")], entries.Select(e => ((string?)e!["manager"], (string?)e["subresource"])));
        Assert.Equal("2026-11-29T05:01:00Z", (string?)entries[1]!["time"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"f:spec":{"f:replicas":{}}}"""), entries[1]!["fieldsV1"]));
        Assert.DoesNotContain("f:spec\nf:replicas", FieldsV1.Parse(entries[0]!["fieldsV1"]!.AsObject()));
    }

    [Fact]
    public void RecordUpdate_RemovedField_LeavesEveryManagerAndTheTimeStays()
    {
        var created = Created("""{"metadata":{"name":"c","labels":{"a":"1"}},"data":{"k":"v"}}""", "kubectl-create");
        var removed = Changed(created, o => o["metadata"]!.AsObject().Remove("labels"));
        ManagedFields.RecordUpdate(removed, created, KindRegistry.ConfigMaps, "kubectl-label", Now.AddMinutes(1));
        var entry = Assert.Single(removed["metadata"]!["managedFields"]!.AsArray())!;
        Assert.Equal(("kubectl-create", "2026-11-29T05:00:00Z"), ((string?)entry["manager"], (string?)entry["time"]));
        Assert.Equal(["f:data\nf:k"], FieldsV1.Parse(entry["fieldsV1"]!.AsObject()));
    }

    [Fact]
    public void RecordUpdate_MalformedEntriesInTheRequest_FallBackToTheStoredOnes()
    {
        var created = Created("""{"metadata":{"name":"c"},"data":{"k":"v"}}""", "kubectl-create");
        var edited = Changed(created, o => o["data"]!["k"] = "w");
        edited["metadata"]!["managedFields"] = JsonNode.Parse("""[{"manager":"x","operation":"Bogus","apiVersion":"v1","fieldsType":"FieldsV1"}]""");
        ManagedFields.RecordUpdate(edited, created, KindRegistry.ConfigMaps, "kubectl-edit", Now);
        Assert.Equal(["kubectl-edit"], edited["metadata"]!["managedFields"]!.AsArray().Select(e => (string?)e!["manager"]));
    }

    [Fact]
    public void RecordUpdate_WellFormedEntriesInTheRequest_AreKept()
    {
        var created = Created("""{"metadata":{"name":"c"},"data":{"k":"v","j":"v"}}""", "kubectl-client-side-apply");
        var upgraded = Changed(created, o => o["data"]!["k"] = "w");
        upgraded["metadata"]!["managedFields"]![0]!["manager"] = "kubectl";
        upgraded["metadata"]!["managedFields"]![0]!["operation"] = "Apply";
        ManagedFields.RecordUpdate(upgraded, created, KindRegistry.ConfigMaps, "kubectl-edit", Now);
        Assert.Equal([("kubectl", "Apply"), ("kubectl-edit", "Update")], upgraded["metadata"]!["managedFields"]!.AsArray()
            .Select(e => ((string?)e!["manager"], (string?)e["operation"])));
        var noop = Changed(created, _ => { });
        noop["metadata"]!["managedFields"]![0]!["manager"] = "kubectl";
        ManagedFields.KeepWellFormed(noop, created);
        Assert.Equal("kubectl", (string?)noop["metadata"]!["managedFields"]![0]!["manager"]);
    }

    [Fact]
    public void KeepWellFormed_MalformedEntries_AreReplacedByTheStoredOnes()
    {
        var created = Created("""{"metadata":{"name":"c"},"data":{"k":"v"}}""", "kubectl-create");
        var junk = Changed(created, o => o["metadata"]!["managedFields"] = "junk");
        ManagedFields.KeepWellFormed(junk, created);
        Assert.True(JsonNode.DeepEquals(created, junk));
    }

    [Fact]
    public void Entries_AreSortedApplyFirstThenByTimeAndManager()
    {
        var created = Created("""{"metadata":{"name":"c"},"data":{"a":"1"}}""", "zeta");
        var applied = ServerSideApply.Apply(created, JsonNode.Parse("""{"metadata":{"name":"c"},"data":{"b":"2"}}""")!.AsObject(),
            KindRegistry.ConfigMaps, "kubectl", Now.AddMinutes(5));
        var labelled = Changed(applied, o => o["data"]!["c"] = "3");
        ManagedFields.RecordUpdate(labelled, applied, KindRegistry.ConfigMaps, "alpha", Now.AddMinutes(1));
        Assert.Equal(["kubectl", "zeta", "alpha"], labelled["metadata"]!["managedFields"]!.AsArray().Select(e => (string?)e!["manager"]));
    }

    [Theory]
    [InlineData("f:spec\nf:replicas", ".spec.replicas")]
    [InlineData("f:spec\nf:containers\nk:{\"name\":\"web\"}\nf:image", ".spec.containers[name=\"web\"].image")]
    [InlineData("f:spec\nf:ports\nk:{\"protocol\":\"TCP\",\"containerPort\":80}", ".spec.ports[containerPort=80,protocol=\"TCP\"]")]
    [InlineData("f:metadata\nf:finalizers\nv:\"a/b\"", ".metadata.finalizers[=\"a/b\"]")]
    public void FieldPathText_RendersAsConflictMessagesShowIt(string path, string expected) =>
        Assert.Equal(expected, FieldPathText.Render(path));

    [Fact]
    public void FieldPathText_Compare_PutsLeavesBeforeSubtreesAtEachLevel()
    {
        var paths = new List<string> { "f:spec\nf:template\nf:x", "f:spec\nf:zeta", "f:data", "f:spec\nf:alpha" };
        paths.Sort(FieldPathText.Compare);
        Assert.Equal(["f:data", "f:spec\nf:alpha", "f:spec\nf:zeta", "f:spec\nf:template\nf:x"], paths);
    }

    private static JsonObject Created(string json, string manager, ResourceKind? kind = null)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        ManagedFields.RecordUpdate(obj, null, kind ?? KindRegistry.ConfigMaps, manager, Now);
        return obj;
    }

    private static JsonObject Changed(JsonObject obj, Action<JsonObject> change)
    {
        var copy = (JsonObject)obj.DeepClone();
        change(copy);
        return copy;
    }
}
