using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using k8s;

namespace Berth.Registry.Generic;

/// <summary>
/// Rejects bodies whose values have the wrong JSON type for the built-in model (a number where a string belongs,
/// an object where a list belongs) with 400, as decoding into the Go types does upstream
/// (<c>json: cannot unmarshal number into Go struct field ConfigMap.data of type string</c>). Without it such a body
/// would be stored and break every typed reader later. Missing required properties are left to validation (422).
/// </summary>
/// <remarks>Pure and thread-safe; one cached decoder delegate per model type.</remarks>
internal static class ModelTypeCheck
{
    private static readonly ConcurrentDictionary<Type, Action<JsonNode>> Decoders = new();

    private static readonly MethodInfo DeserializeNode = typeof(KubernetesJson).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(JsonNode));

    /// <summary>Throws BadRequest when <paramref name="obj"/> cannot be decoded as <paramref name="kind"/>'s model.</summary>
    public static void Check(ResourceKind kind, JsonObject obj)
    {
        var type = ModelSchema.ModelTypeFor(kind);
        if (type is null)
        {
            return;
        }
        try
        {
            Decoders.GetOrAdd(type, CreateDecoder)(obj);
        }
        catch (JsonException e) when (!e.Message.Contains("missing required properties", StringComparison.Ordinal))
        {
            throw ApiErrors.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: {Describe(e)}");
        }
        catch (TargetInvocationException e) when (e.InnerException is JsonException inner && !inner.Message.Contains("missing required properties", StringComparison.Ordinal))
        {
            throw ApiErrors.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: {Describe(inner)}");
        }
        catch (TargetInvocationException e) when (e.InnerException is FormatException or OverflowException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"{kind.Kind} in version \"{kind.Version}\" cannot be handled as a {kind.Kind}: {e.InnerException.Message}");
        }
    }

    private static Action<JsonNode> CreateDecoder(Type type)
    {
        var method = DeserializeNode.MakeGenericMethod(type);
        return node => method.Invoke(null, [node, null]);
    }

    /// <summary>The converter's message names the JSON path (<c>$.data.k</c>); keep it, drop the line/byte noise.</summary>
    private static string Describe(JsonException e)
    {
        var path = e.Path is { Length: > 2 } p ? p[2..] : null;
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        return path is null ? message : $"{message} (field {path})";
    }
}
