using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Berth.UnitTests.ApiServer.BadInput;

/// <summary>
/// A JSON object of a KubernetesClient model with every field filled: one element per list, one entry per map, a
/// short value per scalar, nested models to a bounded depth (a model already on the path is left out, so recursive
/// schemas end). Mostly invalid by design: it is the raw material of <see cref="JsonMutations"/>.
/// </summary>
internal static class ModelSamples
{
    private const int MaxDepth = 7;

    public static JsonObject Filled(Type model) => (JsonObject)Value(model, [], 0)!;

    private static JsonNode? Value(Type type, HashSet<Type> path, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Scalar(type) is { } scalar)
        {
            return scalar;
        }
        if (MapValue(type) is { } valueType)
        {
            return new JsonObject { ["k"] = Value(valueType, path, depth + 1) };
        }
        if (ListElement(type) is { } element)
        {
            return new JsonArray(Value(element, path, depth + 1));
        }
        return depth < MaxDepth && path.Add(type) ? Model(type, path, depth) : new JsonObject();
    }

    private static JsonObject Model(Type type, HashSet<Type> path, int depth)
    {
        var obj = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is { } name)
            {
                obj[name] = Value(property.PropertyType, path, depth + 1);
            }
        }
        path.Remove(type);
        return obj;
    }

    private static JsonNode? Scalar(Type type) => type switch
    {
        _ when type == typeof(string) => "a",
        _ when type == typeof(bool) => true,
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => 1,
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => 1.5,
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "2026-11-29T00:00:00Z",
        _ when type == typeof(byte[]) => "YQ==",
        _ when type == typeof(ResourceQuantity) || type == typeof(IntOrString) => "1",
        _ when type == typeof(object) => new JsonObject(),
        _ => null,
    };

    private static Type? MapValue(Type type) => Generic(type, typeof(IDictionary<,>))?.GetGenericArguments()[1];

    private static Type? ListElement(Type type) =>
        type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) ? Generic(type, typeof(IEnumerable<>))?.GetGenericArguments()[0] : null;

    private static Type? Generic(Type type, Type definition) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == definition ? type : null)
        ?? type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
}
