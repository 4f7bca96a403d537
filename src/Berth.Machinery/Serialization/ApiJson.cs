using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Berth.Machinery.Serialization;

/// <summary>
/// Conversions between the API's storage form (<see cref="JsonObject"/>) and KubernetesClient's typed models.
/// The API surface (store, patch, watch, tables) works on JSON; controllers and the kubelet use typed models.
/// Both directions go through <see cref="KubernetesJson"/> so timestamps, quantities and IntOrString match the client.
/// </summary>
public static class ApiJson
{
    /// <summary>Options for reading request bodies: duplicate keys are an error, comments are not allowed.</summary>
    public static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, MaxDepth = 128 };

    /// <summary>Parses a JSON object. Throws <see cref="JsonException"/> on malformed input or a non-object root.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        var node = JsonNode.Parse(utf8, NodeOptions, DocumentOptions);
        return node as JsonObject ?? throw new JsonException("the request body is not a JSON object");
    }

    public static T ToModel<T>(JsonObject obj) => KubernetesJson.Deserialize<T>(obj.ToJsonString());

    public static JsonObject FromModel<T>(T model) =>
        JsonNode.Parse(KubernetesJson.Serialize(model))!.AsObject();

    public static byte[] ToUtf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);

    /// <summary>A deep copy; callers that mutate an object handed out by a cache must copy first.</summary>
    public static JsonObject Clone(JsonObject obj) => obj.DeepClone().AsObject();
}
