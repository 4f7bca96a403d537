using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// Reflection over KubernetesClient's model types for the OpenAPI document: which types are models (classes whose
/// properties carry <c>[JsonPropertyName]</c>), their fields in JSON-name order, and the models a set of roots reaches.
/// Used only while a document is generated; nothing is cached here. Stateless, thread-safe.
/// </summary>
internal static class ModelTypes
{
    /// <summary>True for a model class; false for scalars, collections and the types with their own JSON converter.</summary>
    public static bool IsModel(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace == typeof(V1Pod).Namespace
        && type.GetCustomAttribute<JsonConverterAttribute>() is null && Properties(type).Any();

    /// <summary>The serialised properties of <paramref name="model"/>, ordered by JSON name as upstream's documents are.</summary>
    public static IEnumerable<(string JsonName, PropertyInfo Property)> Properties(Type model) =>
        model.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, Property: p))
            .Where(p => p.Name is not null)
            .Select(p => (p.Name!, p.Property))
            .OrderBy(p => p.Item1, StringComparer.Ordinal);

    /// <summary>The value type of a dictionary, or null.</summary>
    public static Type? MapValue(Type type) => type == typeof(string) ? null : Generic(type, typeof(IDictionary<,>))?.GetGenericArguments()[1];

    /// <summary>The element type of a list (not of a string, a byte array or a dictionary), or null.</summary>
    public static Type? ListElement(Type type) =>
        type == typeof(string) || type == typeof(byte[]) || MapValue(type) is not null
            ? null
            : Generic(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];

    /// <summary>The model a property holds directly, as list elements or as map values; null for anything else.</summary>
    public static Type? ModelOf(Type propertyType)
    {
        var type = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        var inner = ListElement(type) ?? MapValue(type) ?? type;
        return IsModel(inner) ? inner : null;
    }

    /// <summary>Every model reachable from <paramref name="roots"/> (the roots included), in discovery order.</summary>
    public static List<Type> Closure(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var order = new List<Type>();
        var pending = new Stack<Type>(roots.Reverse());
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }
            order.Add(type);
            foreach (var (_, property) in Properties(type).Reverse())
            {
                if (ModelOf(property.PropertyType) is { } model && !seen.Contains(model))
                {
                    pending.Push(model);
                }
            }
        }
        return order;
    }

    /// <summary>
    /// True when KubernetesClient declares the property as a non-nullable value type, which its generator does only
    /// for required numbers and booleans.
    /// </summary>
    public static bool RequiredByType(PropertyInfo property) =>
        property.PropertyType.IsValueType && Nullable.GetUnderlyingType(property.PropertyType) is null;

    private static Type? Generic(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type;
        }
        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
    }
}
