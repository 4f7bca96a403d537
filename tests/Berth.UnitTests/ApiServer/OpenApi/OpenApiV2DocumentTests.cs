using System.Text.Json.Nodes;
using Berth.ApiServer.Discovery;
using Berth.ApiServer.OpenApi;
using Google.Protobuf;

namespace Berth.UnitTests.ApiServer.OpenApi;

public sealed class OpenApiV2DocumentTests
{
    [Fact]
    public void Protobuf_Decoded_IsSwagger20WithInfoAndEmptyPaths()
    {
        var fields = Read(OpenApiV2Document.Protobuf);

        Assert.Equal([1, 2, 8], fields.Select(f => f.Number).ToArray());
        Assert.Equal("2.0", fields[0].Value.ToStringUtf8());
        var info = Read(fields[1].Value.ToByteArray());
        Assert.Equal("Kubernetes", info.Single(f => f.Number == 1).Value.ToStringUtf8());
        Assert.Equal(ServerVersion.GitVersion, info.Single(f => f.Number == 2).Value.ToStringUtf8());
        Assert.True(fields[2].Value.IsEmpty);
    }

    [Fact]
    public void Json_Parsed_HasNoDefinitions()
    {
        var doc = JsonNode.Parse(OpenApiV2Document.Json)!.AsObject();

        Assert.Equal("2.0", (string?)doc["swagger"]);
        Assert.Equal(ServerVersion.GitVersion, (string?)doc["info"]!["version"]);
        Assert.Empty(doc["paths"]!.AsObject());
        Assert.False(doc.ContainsKey("definitions"));
    }

    private static List<(int Number, ByteString Value)> Read(byte[] bytes)
    {
        var input = new CodedInputStream(bytes);
        var fields = new List<(int, ByteString)>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            Assert.Equal(WireFormat.WireType.LengthDelimited, WireFormat.GetTagWireType(tag));
            fields.Add((WireFormat.GetTagFieldNumber(tag), input.ReadBytes()));
        }
        return fields;
    }
}
