using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>Golden-test helper: applies a strategic merge patch and compares the result with the expected JSON.</summary>
internal static class SmpAssert
{
    public static JsonObject Apply(string original, string patch, ResourceKind kind)
    {
        var originalNode = JsonNode.Parse(original)!.AsObject();
        var patchNode = JsonNode.Parse(patch)!.AsObject();
        var originalText = originalNode.ToJsonString();
        var patchText = patchNode.ToJsonString();
        var result = StrategicMergePatch.Apply(originalNode, patchNode, kind);
        Assert.Equal(originalText, originalNode.ToJsonString());
        Assert.Equal(patchText, patchNode.ToJsonString());
        return result;
    }

    public static void Equal(string expected, string original, string patch, ResourceKind kind)
    {
        var result = Apply(original, patch, kind);
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(expectedNode, result), $"expected {expectedNode!.ToJsonString()}\nactual   {result.ToJsonString()}");
    }
}
