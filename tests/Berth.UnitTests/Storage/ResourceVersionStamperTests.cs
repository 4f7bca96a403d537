using System.Text.Json.Nodes;
using Berth.Storage.Core;

namespace Berth.UnitTests.Storage;

public sealed class ResourceVersionStamperTests
{
    [Fact]
    public void Serialize_ExistingResourceVersion_ReplacedInPlace()
    {
        var value = JsonNode.Parse("""{"kind":"Pod","metadata":{"name":"a","resourceVersion":"3","uid":"u"},"spec":{}}""")!.AsObject();

        var bytes = ResourceVersionStamper.Serialize(value, 42);

        Assert.Equal("""{"kind":"Pod","metadata":{"name":"a","resourceVersion":"42","uid":"u"},"spec":{}}""", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("3", value["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Serialize_NoResourceVersion_AppendedToMetadata()
    {
        var value = JsonNode.Parse("""{"metadata":{"name":"a"},"data":null}""")!.AsObject();

        var bytes = ResourceVersionStamper.Serialize(value, 7);

        Assert.Equal("""{"metadata":{"name":"a","resourceVersion":"7"},"data":null}""", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Serialize_NoMetadata_AddsMetadata()
    {
        var bytes = ResourceVersionStamper.Serialize(new JsonObject { ["kind"] = "X" }, 1);

        Assert.Equal("""{"kind":"X","metadata":{"resourceVersion":"1"}}""", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Restamp_StoredBytes_ChangesOnlyResourceVersion()
    {
        var stored = ResourceVersionStamper.Serialize(JsonNode.Parse("""{"metadata":{"name":"a"},"spec":{"x":[1,2]}}""")!.AsObject(), 5);

        var bytes = ResourceVersionStamper.Restamp(stored, 9);

        Assert.Equal("""{"metadata":{"name":"a","resourceVersion":"9"},"spec":{"x":[1,2]}}""", System.Text.Encoding.UTF8.GetString(bytes));
    }
}
