using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using Berth.Machinery.Kinds;
using k8s.Models;

namespace Berth.Registry.Generic;

/// <summary>What a JSON value at some field must look like.</summary>
internal enum SchemaShape
{
    /// <summary>A string (also dates, enums, base64 bytes).</summary>
    String,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>Any number.</summary>
    Number,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A string or a number (IntOrString, Quantity: types with their own converter).</summary>
    StringOrNumber,

    /// <summary>Arbitrary JSON (RawExtension-like <c>object</c> fields): never checked or pruned.</summary>
    Any,

    /// <summary>A model object with known properties.</summary>
    Object,

    /// <summary>A list of <see cref="ModelSchema.Element"/>.</summary>
    List,

    /// <summary>A string-keyed map of <see cref="ModelSchema.Element"/>.</summary>
    Map,
}

/// <summary>
/// The field schema of a KubernetesClient model type, read by reflection from its <c>[JsonPropertyName]</c> attributes:
/// which fields exist and which JSON type each takes, as decoding into the Go structs checks upstream.
/// Instances are cached and immutable; thread-safe.
/// </summary>
internal sealed class ModelSchema
{
    private static readonly ConcurrentDictionary<Type, ModelSchema> Cache = new();
    private static readonly ConcurrentDictionary<(string Group, string Version, string Kind), Type?> EntityTypes = new();
    private static readonly Lazy<Dictionary<(string Group, string Version, string Kind), Type>> AllEntityTypes = new(FindAllEntityTypes);

    private readonly Type? _objectType;
    private Dictionary<string, ModelSchema>? _properties;

    private ModelSchema(SchemaShape shape, string goType, Type? objectType = null, ModelSchema? element = null)
    {
        Shape = shape;
        GoType = goType;
        _objectType = objectType;
        Element = element;
    }

    public SchemaShape Shape { get; }

    /// <summary>The Go type name upstream's decode errors use (<c>string</c>, <c>int32</c>, <c>[]v1.Container</c>).</summary>
    public string GoType { get; }

    /// <summary>The element schema of a list or map.</summary>
    public ModelSchema? Element { get; }

    /// <summary>The model's struct name (<c>Pod</c>, <c>Container</c>) for error messages; null for non-objects.</summary>
    public string? StructName => _objectType is null ? null : GoName(_objectType);

    /// <summary>The schema of the model for <paramref name="kind"/>, or null when KubernetesClient has none.</summary>
    public static ModelSchema? ForKind(ResourceKind kind) =>
        EntityTypes.GetOrAdd((kind.Group, kind.Version, kind.Kind), static gvk => FindEntityType(gvk)) is { } type ? For(type) : null;

    /// <summary>The schema of property <paramref name="jsonName"/>; null when the model has no such field.</summary>
    public ModelSchema? Property(string jsonName)
    {
        var props = _properties ??= BuildProperties(_objectType!);
        return props.GetValueOrDefault(jsonName);
    }

    private static ModelSchema For(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return Leaf(type) ?? Cache.GetOrAdd(type, static t => Create(t));
    }

    private static ModelSchema? Leaf(Type type) => type switch
    {
        _ when type == typeof(object) || type.Name is "JsonElement" or "JsonNode" or "JsonObject" => new(SchemaShape.Any, "interface {}"),
        _ when type == typeof(string) || type.IsEnum || type == typeof(byte[]) || type == typeof(DateTime) || type == typeof(DateTimeOffset) =>
            new(SchemaShape.String, type == typeof(byte[]) ? "[]uint8" : "string"),
        _ when type == typeof(bool) => new(SchemaShape.Boolean, "bool"),
        _ when type == typeof(int) => new(SchemaShape.Integer, "int32"),
        _ when type == typeof(long) => new(SchemaShape.Integer, "int64"),
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => new(SchemaShape.Number, "float64"),
        _ when type.GetCustomAttribute<JsonConverterAttribute>() is not null => new(SchemaShape.StringOrNumber, GoName(type)),
        _ when type.IsValueType => new(SchemaShape.Any, type.Name),
        _ => null,
    };

    private static ModelSchema Create(Type type)
    {
        var dictionary = FindGeneric(type, typeof(IDictionary<,>));
        if (dictionary is not null)
        {
            var value = For(dictionary.GetGenericArguments()[1]);
            return new ModelSchema(SchemaShape.Map, "map[string]" + value.GoType, element: value);
        }
        var list = FindGeneric(type, typeof(IEnumerable<>));
        if (list is not null)
        {
            var item = For(list.GetGenericArguments()[0]);
            return new ModelSchema(SchemaShape.List, "[]" + item.GoType, element: item);
        }
        return new ModelSchema(SchemaShape.Object, "v1." + GoName(type), type);
    }

    /// <summary><c>V1Container</c> → <c>Container</c>, <c>Corev1Event</c> → <c>Event</c>.</summary>
    private static string GoName(Type type)
    {
        var name = type.Name;
        var i = 0;
        while (i < name.Length && !char.IsDigit(name[i]))
        {
            i++;
        }
        while (i < name.Length && (char.IsDigit(name[i]) || (char.IsLower(name[i]) && i > 0)))
        {
            i++;
        }
        return i < name.Length ? name[i..] : name;
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

    /// <summary>
    /// The model of one group/version/kind, looked up by the names KubernetesClient gives its models (<c>V1Pod</c>,
    /// <c>V1beta1CSIStorageCapacity</c>, <c>Corev1Event</c>, <c>Eventsv1Event</c>) and checked against its
    /// <see cref="KubernetesEntityAttribute"/>; only a kind under no such name costs the scan of every type. The scan
    /// (<see cref="Assembly.GetTypes"/> over the ~5,900 types of KubernetesClient) loads them all and keeps their metadata
    /// resident for the life of the process: 5 MiB of berth's RSS (docs/benchmarks.md, session 6 RSS).
    /// </summary>
    private static Type? FindEntityType((string Group, string Version, string Kind) gvk) =>
        FindEntityTypeByName(gvk) ?? AllEntityTypes.Value.GetValueOrDefault(gvk);

    /// <summary>The model found under KubernetesClient's naming alone (no scan); null when none matches.</summary>
    internal static Type? FindEntityTypeByName((string Group, string Version, string Kind) gvk) => KindModels.FindByName(gvk);

    internal static Dictionary<(string, string, string), Type> FindAllEntityTypes()
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
