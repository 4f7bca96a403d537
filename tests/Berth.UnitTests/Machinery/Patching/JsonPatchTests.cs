using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

public sealed class JsonPatchTests
{
    [Theory]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("""{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["x"]}]""", """{"foo":["bar",["x"]]}""")]
    [InlineData("""{"foo":["bar"]}""", """[{"op":"add","path":"/foo/1","value":"end"}]""", """{"foo":["bar","end"]}""")]
    [InlineData("""{"foo":"bar"}""", """[{"op":"add","path":"/foo","value":null}]""", """{"foo":null}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("""{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("""{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("""{"a":[1,2]}""", """[{"op":"replace","path":"/a/0","value":9}]""", """{"a":[9,2]}""")]
    [InlineData("""{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""",
        """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""",
        """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("""{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("""{"a":{"b":[1]}}""", """[{"op":"copy","from":"/a/b","path":"/c"},{"op":"add","path":"/c/-","value":2}]""", """{"a":{"b":[1]},"c":[1,2]}""")]
    [InlineData("""{"a":1}""", """[{"op":"move","from":"/a","path":"/a"}]""", """{"a":1}""")]
    [InlineData("""{"baz":"qux","foo":["a",2,"c"]}""",
        """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""",
        """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("""{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10},{"op":"replace","path":"/~1","value":1}]""", """{"/":1,"~1":10}""")]
    [InlineData("""{"e":"","n":null}""", """[{"op":"test","path":"/e","value":""},{"op":"test","path":"/n","value":null}]""", """{"e":"","n":null}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":{"b":2}}]""", """{"b":2}""")]
    [InlineData("""{"a":1}""", """[]""", """{"a":1}""")]
    public void Apply_Rfc6902Examples(string doc, string patch, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse(doc), JsonNode.Parse(patch));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }

    [Fact]
    public void Apply_RolloutUndoPatch_ReplacesTemplateAndAnnotations()
    {
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"web","annotations":{"deployment.kubernetes.io/revision":"2"}},
             "spec":{"replicas":2,"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}
            """)!.AsObject();
        var patch = JsonNode.Parse("""
            [{"op":"replace","path":"/spec/template","value":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
              "spec":{"containers":[{"name":"web","image":"nginx:1.25","resources":{}}]}}},
             {"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"1"}}]
            """);
        var result = JsonPatch.ApplyToObject(deployment, patch);
        Assert.Equal("nginx:1.25", (string?)result["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("1", (string?)result["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]);
        Assert.Equal(2, (int)result["spec"]!["replicas"]!);
        Assert.Equal("nginx:1.26", (string?)deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/a","value":1}""")]
    [InlineData("""[{"op":"bogus","path":"/a"}]""")]
    [InlineData("""[{"path":"/a","value":1}]""")]
    [InlineData("""[{"op":"add","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/a"}]""")]
    [InlineData("""[{"op":"move","path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/a~2","value":1}]""")]
    [InlineData("""[1]""")]
    public void Apply_MalformedPatch_ThrowsBadRequest(string patch)
    {
        var e = Assert.Throws<ApiException>(() => JsonPatch.Apply(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse(patch)));
        Assert.Equal(400, e.Code);
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""", "testing value /a failed")]
    [InlineData("""[{"op":"remove","path":"/missing"}]""", "remove operation does not apply")]
    [InlineData("""[{"op":"replace","path":"/missing","value":1}]""", "replace operation does not apply")]
    [InlineData("""[{"op":"add","path":"/x/y","value":1}]""", "path \"/x/y\" not found")]
    [InlineData("""[{"op":"add","path":"/l/5","value":1}]""", "out of bounds")]
    [InlineData("""[{"op":"add","path":"/l/01","value":1}]""", "invalid array index")]
    [InlineData("""[{"op":"remove","path":"/l/-"}]""", "invalid array index")]
    [InlineData("""[{"op":"add","path":"/a/b","value":1}]""", "parent is number")]
    [InlineData("""[{"op":"move","from":"/o","path":"/o/x"}]""", "is a prefix of")]
    [InlineData("""[{"op":"remove","path":""}]""", "cannot remove the whole document")]
    public void Apply_PatchThatDoesNotApply_ThrowsUnprocessableEntity(string patch, string fragment)
    {
        var doc = JsonNode.Parse("""{"a":1,"l":[0],"o":{}}""")!.AsObject();
        var e = Assert.Throws<ApiException>(() => JsonPatch.ApplyToObject(doc, JsonNode.Parse(patch)));
        Assert.Equal(422, e.Code);
        Assert.Equal(StatusReason.Invalid, e.Reason);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
        Assert.Equal("""{"a":1,"l":[0],"o":{}}""", doc.ToJsonString());
    }

    [Fact]
    public void ApplyToObject_RootReplacedWithScalar_ThrowsUnprocessableEntity()
    {
        var e = Assert.Throws<ApiException>(() =>
            JsonPatch.ApplyToObject(new JsonObject(), JsonNode.Parse("""[{"op":"replace","path":"","value":1}]""")));
        Assert.Equal(422, e.Code);
    }

    [Fact]
    public void Apply_TooManyOperations_ThrowsRequestEntityTooLarge()
    {
        var ops = new JsonArray();
        for (var i = 0; i <= JsonPatch.MaxOperations; i++)
        {
            ops.Add(new JsonObject { ["op"] = "test", ["path"] = "", ["value"] = null });
        }
        Assert.Equal(413, Assert.Throws<ApiException>(() => JsonPatch.Apply(new JsonObject(), ops)).Code);
    }
}
