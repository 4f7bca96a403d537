using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

public sealed class JsonMergePatchTests
{
    // The RFC 7386 appendix A examples, plus the kubectl bodies.
    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""["a","b"]""", """["c","d"]""", """["c","d"]""")]
    [InlineData("""{"a":"b"}""", """["c"]""", """["c"]""")]
    [InlineData("""{"a":"foo"}""", "null", "null")]
    [InlineData("""{"a":"foo"}""", "\"bar\"", "\"bar\"")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    [InlineData("""{"metadata":{"labels":{"app":"web"}}}""", """{"metadata":{"labels":{"tier":"x","app":null}}}""", """{"metadata":{"labels":{"tier":"x"}}}""")]
    [InlineData("""{"spec":{"replicas":1,"x":2}}""", """{"spec":{"replicas":3}}""", """{"spec":{"replicas":3,"x":2}}""")]
    public void Apply_Rfc7386Examples(string target, string patch, string expected)
    {
        var result = JsonMergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }

    [Fact]
    public void Apply_DoesNotMutateInputsOrShareNodes()
    {
        var target = JsonNode.Parse("""{"a":{"b":1},"l":[1]}""")!.AsObject();
        var patch = JsonNode.Parse("""{"a":{"c":2},"l":[2]}""")!.AsObject();
        var result = JsonMergePatch.ApplyToObject(target, patch);
        result["l"]!.AsArray().Add(3);
        result["a"]!["b"] = 9;
        Assert.Equal("""{"a":{"b":1},"l":[1]}""", target.ToJsonString());
        Assert.Equal("""{"a":{"c":2},"l":[2]}""", patch.ToJsonString());
    }

    [Fact]
    public void ApplyToObject_NonObjectPatch_ThrowsBadRequest()
    {
        var e = Assert.Throws<ApiException>(() => JsonMergePatch.ApplyToObject(new JsonObject(), JsonNode.Parse("[1]")));
        Assert.Equal(400, e.Code);
    }
}
