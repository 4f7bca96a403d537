using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>The subtree diff gives exactly the changes that comparing two full path collections gives.</summary>
public sealed class FieldPathsDiffTests
{
    private const string Base = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","uid":"u","labels":{"a":"1"},"finalizers":["x"]},
         "spec":{"containers":[{"name":"c","image":"i","env":[{"name":"A","value":"1"}]}],"volumes":[]},"status":{"phase":"Pending"}}
        """;

    [Theory]
    [InlineData("""{"metadata":{"name":"p","uid":"v","labels":{"a":"2","b":"3"},"finalizers":["x","y"]}}""")]
    [InlineData("""{"metadata":{"name":"p"}}""")]
    [InlineData("""{"spec":{"containers":[{"name":"c","image":"j","env":[{"name":"B","value":"2"}]},{"name":"d","image":"k"}],"volumes":[{"name":"v"}]}}""")]
    [InlineData("""{"spec":{"containers":[{"name":"c","image":"i","env":[]}],"volumes":[],"nodeName":"n"},"status":{}}""")]
    [InlineData("""{"status":null,"spec":{"containers":"bad"}}""")]
    [InlineData("""{"metadata":"bad"}""")]
    public void Between_Objects_MatchesFullCollections(string overrides)
    {
        var before = JsonNode.Parse(Base)!.AsObject();
        var after = (JsonObject)before.DeepClone();
        foreach (var (key, value) in JsonNode.Parse(overrides)!.AsObject())
        {
            after[key] = value?.DeepClone();
        }
        var schema = PatchMergeKeys.ForKind(KindRegistry.Pods)!;
        foreach (var (from, to) in new[] { (before, after), (after, before) })
        {
            var full = FieldChanges.Between(FieldPaths.Collect(from, schema), FieldPaths.Collect(to, schema));
            var diff = FieldChanges.Between(from, to, schema);
            Assert.Equal(full.Changed.Order(StringComparer.Ordinal), diff.Changed.Order(StringComparer.Ordinal));
            Assert.Equal(full.Removed.Order(StringComparer.Ordinal), diff.Removed.Order(StringComparer.Ordinal));
        }
    }
}
