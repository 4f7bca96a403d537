using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>Map directives, cleaning of new values, fallback and errors.</summary>
public sealed class StrategicMergePatchDirectiveTests
{
    [Fact]
    public void Apply_MapPatchReplace_ReplacesMapWhole()
    {
        SmpAssert.Equal(
            """{"metadata":{"labels":{"b":"2"}}}""",
            """{"metadata":{"labels":{"a":"1"}}}""",
            """{"metadata":{"labels":{"$patch":"replace","b":"2"}}}""",
            KindRegistry.ConfigMaps);
    }

    [Fact]
    public void Apply_MapPatchDelete_EmptiesMap()
    {
        SmpAssert.Equal(
            """{"metadata":{"name":"x","labels":{}}}""",
            """{"metadata":{"name":"x","labels":{"a":"1"}}}""",
            """{"metadata":{"labels":{"$patch":"delete"}}}""",
            KindRegistry.ConfigMaps);
    }

    [Fact]
    public void Apply_MapPatchMerge_IsTheDefault()
    {
        SmpAssert.Equal(
            """{"data":{"a":"1","b":"2"}}""",
            """{"data":{"a":"1"}}""",
            """{"data":{"$patch":"merge","b":"2"}}""",
            KindRegistry.ConfigMaps);
    }

    [Fact]
    public void Apply_RootPatchReplace_ReplacesObject()
    {
        SmpAssert.Equal("""{"data":{"b":"2"}}""", """{"data":{"a":"1"},"x":1}""", """{"$patch":"replace","data":{"b":"2"}}""", KindRegistry.ConfigMaps);
    }

    [Fact]
    public void Apply_ConfigMapData_NullDeletesAndValuesMerge()
    {
        SmpAssert.Equal(
            """{"data":{"b":"3","c":"4"}}""",
            """{"data":{"a":"1","b":"2"}}""",
            """{"data":{"a":null,"b":"3","c":"4","missing":null}}""",
            KindRegistry.ConfigMaps);
    }

    [Fact]
    public void Apply_NewSubtree_IsCleanedOfDirectivesAndNulls()
    {
        SmpAssert.Equal(
            """{"metadata":{"name":"p"},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
            """{"metadata":{"name":"p"}}""",
            """{"status":{"$setElementOrder/conditions":[{"type":"Ready"}],"conditions":[{"type":"Ready","status":"True","reason":null}],"message":null}}""",
            KindRegistry.Pods);
    }

    [Fact]
    public void Apply_TypeChange_ReplacesValue()
    {
        SmpAssert.Equal("""{"data":"s"}""", """{"data":{"a":"1"}}""", """{"data":"s"}""", KindRegistry.ConfigMaps);
    }

    [Fact]
    public void Apply_UnknownKind_FallsBackToJsonMergePatch()
    {
        var widget = new ResourceKind("example.com", "v1", "Widget", "widgets", "widget", true, [], [], []);
        SmpAssert.Equal(
            """{"spec":{"items":[{"name":"b"}],"x":1}}""",
            """{"spec":{"items":[{"name":"a"}],"x":1,"y":2}}""",
            """{"spec":{"items":[{"name":"b"}],"y":null}}""",
            widget);
    }

    [Theory]
    [InlineData("""{"metadata":{"labels":{"$patch":"bogus"}}}""", 400, "unknown patch type")]
    [InlineData("""{"spec":{"containers":[{"image":"x"}]}}""", 400, "does not contain declared merge key: name")]
    [InlineData("""{"spec":{"containers":[{"name":"a","$patch":"bogus"}]}}""", 400, "unknown patch type")]
    [InlineData("""{"spec":{"$retainKeys":["a"],"b":1}}""", 400, "invalid patch format of retainKeys")]
    [InlineData("""{"spec":{"$retainKeys":"a"}}""", 400, "invalid patch format of retainKeys")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}""", 400, "invalid patch format of primitive list")]
    [InlineData("""{"spec":{"$setElementOrder/containers":{"name":"a"}}}""", 400, "invalid patch format of setElementOrder list")]
    [InlineData("""{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a"},{"name":"b"}]}}""", 400, "doesn't match $setElementOrder list")]
    [InlineData("""{"spec":{"$bogus":1}}""", 400, "unknown strategic merge patch directive")]
    [InlineData("""{"metadata":{"finalizers":[["x"]]}}""", 422, "lists of lists are not supported")]
    [InlineData("""{"spec":{"containers":["x"]}}""", 400, "list element types are not identical")]
    public void Apply_MalformedPatch_ThrowsClientError(string patch, int code, string fragment)
    {
        var original = """{"metadata":{"finalizers":["a"]},"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""";
        var e = Assert.Throws<ApiException>(() => SmpAssert.Apply(original, patch, KindRegistry.Pods));
        Assert.Equal(code, e.Code);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ResultSharesNoNodesWithInputs()
    {
        var original = JsonNode.Parse("""{"spec":{"containers":[{"name":"a","env":[{"name":"E","value":"1"}]}]}}""")!.AsObject();
        var patch = JsonNode.Parse("""{"spec":{"containers":[{"name":"b","env":[{"name":"F","value":"2"}]}]}}""")!.AsObject();
        var result = StrategicMergePatch.Apply(original, patch, KindRegistry.Pods);
        foreach (var container in result["spec"]!["containers"]!.AsArray())
        {
            container!["env"]![0]!["value"] = "changed";
        }
        Assert.Equal("1", (string?)original["spec"]!["containers"]![0]!["env"]![0]!["value"]);
        Assert.Equal("2", (string?)patch["spec"]!["containers"]![0]!["env"]![0]!["value"]);
    }

    [Fact]
    public void PatchMergeKeys_EveryServedKindHasASchema()
    {
        foreach (var kind in KindRegistry.AllKinds)
        {
            Assert.NotNull(PatchMergeKeys.ForKind(kind));
        }
        Assert.Equal("name", PatchMergeKeys.PodSpec.Field("containers")!.MergeKey);
        Assert.Equal("containerPort", PatchMergeKeys.Container.Field("ports")!.MergeKey);
    }
}
