using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using Berth.Machinery.Kinds;
using k8s.Models;

namespace Berth.Registry.Generic;

/// <summary>What a JSON value at some field must look like, as far as field pruning cares.</summary>
internal enum SchemaShape
{
    /// <summary>A scalar or a value with its own converter (IntOrString, Quantity): never descended into.</summary>
    Leaf,

    /// <summary>Arbitrary JSON (RawExtension-like <c>object</c> fields): never pruned.</summary>
    Any,

    /// <summary>A model object with known properties.</summary>
    Object,

    /// <summary>A list of <see cref="ModelSchema.Element"/>.</summary>
    List,

    /// <summary>A string-keyed map of <see cref="ModelSchema.Element"/>.</summary>
    Map,
}

/// <summary>
/// The field schema of a KubernetesClient model type, read by reflection from its <c>[JsonPropertyName]</c> attributes.
/// Used to find (and prune) fields the built-in types do not have, as decoding into Go structs does upstream.
/// Instances are cached and immutable; thread-safe.
/// </summary>
internal sealed class ModelSchema
{
    private static readonly ConcurrentDictionary<Type, ModelSchema> Cache = new();
    private static readonly Lazy<Dictionary<(string Group, string Version, string Kind), Type>> EntityTypes = new(FindEntityTypes);
    private static readonly ModelSchema LeafSchema = new(SchemaShape.Leaf);
    private static readonly ModelSchema AnySchema = new(SchemaShape.Any);

    private readonly Type? _objectType;
    private Dictionary<string, ModelSchema>? _properties;

    private ModelSchema(SchemaShape shape, Type? objectType = null, ModelSchema? element = null)
    {
        Shape = shape;
        _objectType = objectType;
        Element = element;
    }

    public SchemaShape Shape { get; }

    /// <summary>The element schema of a list or map.</summary>
    public ModelSchema? Element { get; }

    /// <summary>The schema of the model for <paramref name="kind"/>, or null when KubernetesClient has none.</summary>
    public static ModelSchema? ForKind(ResourceKind kind) => ForGroupVersionKind(kind.Group, kind.Version, kind.Kind);

    /// <summary>The KubernetesClient model type of <paramref name="kind"/>, or null when it has none.</summary>
    public static Type? ModelTypeFor(ResourceKind kind) =>
        EntityTypes.Value.TryGetValue((kind.Group, kind.Version, kind.Kind), out var type) ? type : null;

    public static ModelSchema? ForGroupVersionKind(string group, string version, string kind) =>
        EntityTypes.Value.TryGetValue((group, version, kind), out var type) ? For(type) : null;

    /// <summary>The schema of property <paramref name="jsonName"/>; null when the model has no such field.</summary>
    public ModelSchema? Property(string jsonName)
    {
        var props = _properties ??= BuildProperties(_objectType!);
        return props.GetValueOrDefault(jsonName);
    }

    private static ModelSchema For(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(object) || type.Name is "JsonElement" or "JsonNode" or "JsonObject")
        {
            return AnySchema;
        }
        if (type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(byte[]) || type.IsValueType ||
            type.GetCustomAttribute<JsonConverterAttribute>() is not null)
        {
            return LeafSchema;
        }
        return Cache.GetOrAdd(type, static t => Create(t));
    }

    private static ModelSchema Create(Type type)
    {
        var dictionary = FindGeneric(type, typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            return new ModelSchema(SchemaShape.Map, element: For(dictionary.GetGenericArguments()[1]));
        }
        var list = FindGeneric(type, typeof(IEnumerable<>));
        if (list is not null)
        {
            return new ModelSchema(SchemaShape.List, element: For(list.GetGenericArguments()[0]));
        }
        return new ModelSchema(SchemaShape.Object, type);
    }

    private static Type? FindGeneric(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type;
        }
        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
    }

    private static Dictionary<string, ModelSchema> BuildProperties(Type type)
    {
        var result = new Dictionary<string, ModelSchema>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is not null)
            {
                result[name] = For(p.PropertyType);
            }
        }
        return result;
    }

    private static Dictionary<(string, string, string), Type> FindEntityTypes()
    {
        var result = new Dictionary<(string, string, string), Type>();
        foreach (var type in typeof(V1Pod).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
            {
                result.TryAdd((entity.Group ?? "", entity.ApiVersion ?? "", entity.Kind ?? ""), type);
            }
        }
        return result;
    }
}
