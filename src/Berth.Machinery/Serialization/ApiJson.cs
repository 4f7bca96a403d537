using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Berth.Machinery.Serialization;

/// <summary>
/// Conversions between the API's storage form (<see cref="JsonObject"/>) and KubernetesClient's typed models.
/// The API surface (store, patch, watch, tables) works on JSON; controllers and the kubelet use typed models.
/// Both directions use <see cref="KubernetesJson"/>'s own serializer options, so timestamps, quantities and
/// IntOrString match the client, without its detour through a UTF-16 string (half the CPU of each conversion).
/// </summary>
public static class ApiJson
{
    // KubernetesJson exposes its options only through AddJsonOptions' callback; they are read here once and never
    // changed, so every conversion sees the converters KubernetesJson.Serialize/Deserialize would use.
    private static readonly JsonSerializerOptions ModelOptions = CaptureModelOptions();

    /// <summary>Options for reading request bodies: duplicate keys are an error, comments are not allowed.</summary>
    public static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    public static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, MaxDepth = 128 };

    /// <summary>Parses a JSON object. Throws <see cref="JsonException"/> on malformed input or a non-object root.</summary>
    public static JsonObject ParseObject(ReadOnlySpan<byte> utf8)
    {
        var node = JsonNode.Parse(utf8, NodeOptions, DocumentOptions);
        return node as JsonObject ?? throw new JsonException("the request body is not a JSON object");
    }

    public static T ToModel<T>(JsonObject obj) => obj.Deserialize<T>(ModelOptions)!;

    /// <summary>The model's JSON, serialised by its runtime type (as <see cref="KubernetesJson.Serialize"/> does).</summary>
    public static JsonObject FromModel<T>(T model) =>
        JsonSerializer.SerializeToNode(model, model!.GetType(), ModelOptions)!.AsObject();

    /// <summary>A deep copy of a model by a JSON round trip through UTF-8 bytes.</summary>
    public static T DeepCopy<T>(T model) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(model, model!.GetType(), ModelOptions), ModelOptions)!;

    public static byte[] ToUtf8(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);

    private static JsonSerializerOptions CaptureModelOptions()
    {
        JsonSerializerOptions? options = null;
        KubernetesJson.AddJsonOptions(o => options = o);
        return options ?? throw new InvalidOperationException("KubernetesJson did not hand out its serializer options");
    }

    /// <summary>A deep copy; callers that mutate an object handed out by a cache must copy first.</summary>
    public static JsonObject Clone(JsonObject obj) => obj.DeepClone().AsObject();
}
