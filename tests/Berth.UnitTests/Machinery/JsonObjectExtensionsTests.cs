using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Machinery;

public sealed class JsonObjectExtensionsTests
{
    [Fact]
    public void GetLong_ValueBuiltFromIntInCode_ReadsBack()
    {
        var obj = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3, ["big"] = 5_000_000_000L } };
        Assert.Equal(3, obj.GetLong("spec", "replicas"));
        Assert.Equal(5_000_000_000L, obj.GetLong("spec", "big"));
    }

    [Fact]
    public void GetLong_ParsedNumberAndNonInteger_ParsedReadsNonIntegerIsNull()
    {
        var obj = JsonNode.Parse("""{"a":7,"b":1.5,"c":"7"}""")!.AsObject();
        Assert.Equal(7, obj.GetLong("a"));
        Assert.Null(obj.GetLong("b"));
        Assert.Null(obj.GetLong("c"));
    }
}
