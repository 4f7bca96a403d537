using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>List elements dropped from an applied configuration: removed when the applier alone owned them.</summary>
public sealed class ServerSideApplyRemovalTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private static string Pod(string containers) =>
        """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","finalizers":["a/x","a/y"]},"spec":{"containers":[""" + containers + "]}}";

    private const string Web = """{"name":"web","image":"nginx","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80},{"containerPort":81}]}""";

    [Fact]
    public void Apply_DroppedContainerEnvPortAndFinalizer_AreRemoved()
    {
        var first = Apply(null, Pod(Web + """,{"name":"side","image":"busybox"}"""), "kubectl");
        var second = Apply(first, """
            {"metadata":{"name":"p","finalizers":["a/x"]},"spec":{"containers":[{"name":"web","image":"nginx","env":[{"name":"A","value":"1"}],"ports":[{"containerPort":80}]}]}}
            """, "kubectl");
        var containers = second["spec"]!["containers"]!.AsArray();
        var web = Assert.Single(containers)!;
        Assert.Equal("""[{"name":"A","value":"1"}]""", web["env"]!.ToJsonString());
        Assert.Equal("""[{"containerPort":80}]""", web["ports"]!.ToJsonString());
        Assert.Equal("""["a/x"]""", second["metadata"]!["finalizers"]!.ToJsonString());
    }

    [Fact]
    public void Apply_DroppedEnvListEntirely_DropsTheEmptiedList()
    {
        var first = Apply(null, Pod(Web), "kubectl");
        var second = Apply(first, Pod("""{"name":"web","image":"nginx","ports":[{"containerPort":80},{"containerPort":81}]}"""), "kubectl");
        Assert.Null(second["spec"]!["containers"]![0]!["env"]);
    }

    [Fact]
    public void Apply_DroppedElementAnotherManagerOwnsPartOf_Stays()
    {
        var first = Apply(null, Pod(Web + """,{"name":"side","image":"busybox"}"""), "kubectl");
        var edited = (JsonObject)first.DeepClone();
        edited["spec"]!["containers"]![1]!["image"] = "busybox:2";
        ManagedFields.RecordUpdate(edited, first, KindRegistry.Pods, "kubectl-set", Now);
        var second = Apply(edited, Pod(Web), "kubectl");
        Assert.Equal(["web", "side"], second["spec"]!["containers"]!.AsArray().Select(c => (string?)c!["name"]));
    }

    [Fact]
    public void Apply_DroppedElementAnotherApplierAlsoApplied_Stays()
    {
        var first = Apply(null, Pod(Web), "kubectl");
        var shared = Apply(first, """{"metadata":{"name":"p"},"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]}}""", "other");
        var second = Apply(shared, Pod("""{"name":"web","image":"nginx","env":[{"name":"A","value":"1"}]}"""), "kubectl");
        Assert.Equal(["A", "B"], second["spec"]!["containers"]![0]!["env"]!.AsArray().Select(e => (string?)e!["name"]));
    }

    private static JsonObject Apply(JsonObject? live, string config, string manager) =>
        ServerSideApply.Apply(live, JsonNode.Parse(config)!.AsObject(), KindRegistry.Pods, manager, Now);
}
