using System.Reflection;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;
using k8s.Models;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// Builds <c>components.schemas</c> of one group version's OpenAPI v3 document from KubernetesClient's models: one
/// object schema per model reached from the group version's kinds, with field types and formats, descriptions,
/// <c>required</c>, patch extensions (<see cref="PatchMarkers"/>) and, on each kind,
/// <c>x-kubernetes-group-version-kind</c>; references are wrapped in <c>allOf</c> as upstream's documents do.
/// Single use: one instance builds one document.
/// </summary>
internal sealed class ComponentSchemas
{
    private const string RefPrefix = "#/components/schemas/";

    private readonly SchemaNames _names;
    private readonly ModelDescriptions _descriptions;
    private readonly Dictionary<Type, PatchSchema> _patches;
    private readonly SortedDictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);

    private ComponentSchemas(SchemaNames names, ModelDescriptions descriptions, Dictionary<Type, PatchSchema> patches)
    {
        _names = names;
        _descriptions = descriptions;
        _patches = patches;
    }

    /// <summary>The schemas for <paramref name="kinds"/> (all of one group version); descriptions from <paramref name="descriptionsPath"/>.</summary>
    public static JsonObject Build(IReadOnlyList<ResourceKind> kinds, string? descriptionsPath = null)
    {
        var roots = kinds.Select(k => (Kind: k, Model: KindModels.ModelType(k))).Where(r => r.Model is not null).ToList();
        var models = ModelTypes.Closure(roots.Select(r => r.Model!));
        var patches = PatchMarkers.ByModel(roots.Select(r => (r.Model!, PatchMergeKeys.ForKind(r.Kind))));
        var builder = new ComponentSchemas(
            new SchemaNames(kinds[0].Group, kinds[0].Version), ModelDescriptions.Load(models, descriptionsPath), patches);
        foreach (var model in models)
        {
            builder._schemas[builder._names.Of(model)] = builder.Component(model);
        }
        foreach (var (kind, model) in roots)
        {
            builder._schemas[builder._names.Of(model!)]["x-kubernetes-group-version-kind"] = new JsonArray(
                new JsonObject { ["group"] = kind.Group, ["kind"] = kind.Kind, ["version"] = kind.Version });
        }
        return new JsonObject([.. builder._schemas.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]);
    }

    private JsonObject Component(Type model)
    {
        var name = _names.Of(model);
        var patch = _patches.GetValueOrDefault(model);
        var properties = new JsonObject();
        var listed = RequiredFields.Of(name);
        var required = listed?.ToList() ?? [];
        foreach (var (jsonName, property) in ModelTypes.Properties(model))
        {
            properties[jsonName] = Property(model, jsonName, property, patch?.Field(jsonName));
            if (listed is null && ModelTypes.RequiredByType(property))
            {
                required.Add(jsonName);
            }
        }
        var schema = new JsonObject();
        AddDescription(schema, _descriptions.OfType(model));
        schema["properties"] = properties;
        if (required.Count > 0)
        {
            schema["required"] = new JsonArray([.. required.Select(r => JsonValue.Create(r))]);
        }
        schema["type"] = "object";
        return schema;
    }

    private JsonObject Property(Type model, string jsonName, PropertyInfo property, PatchField? patch)
    {
        var schema = Value(property.PropertyType, jsonName);
        AddDescription(schema, _descriptions.OfProperty(model, property.Name));
        if (patch is not null)
        {
            PatchMarkers.Write(schema, patch);
        }
        return schema;
    }

    private JsonObject Value(Type type, string jsonName)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Scalar(type, jsonName) is { } scalar)
        {
            return scalar;
        }
        if (ModelTypes.MapValue(type) is { } value)
        {
            return new JsonObject { ["additionalProperties"] = Value(value, jsonName), ["type"] = "object" };
        }
        if (ModelTypes.ListElement(type) is { } element)
        {
            return new JsonObject { ["items"] = Value(element, jsonName), ["type"] = "array" };
        }
        return ModelTypes.IsModel(type) ? Ref(_names.Of(type)) : Ref(SchemaNames.RawExtension);
    }

    private JsonObject? Scalar(Type type, string jsonName) => type switch
    {
        _ when type == typeof(string) => Primitive("string"),
        _ when type == typeof(bool) => Primitive("boolean"),
        _ when type == typeof(int) => Primitive("integer", "int32"),
        _ when type == typeof(long) => Primitive("integer", "int64"),
        _ when type == typeof(double) || type == typeof(float) => Primitive("number", "double"),
        _ when type == typeof(byte[]) => Primitive("string", "byte"),
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => Ref(SchemaNames.Time),
        _ when type == typeof(IntOrString) => Ref(SchemaNames.IntOrString),
        _ when type == typeof(ResourceQuantity) => Ref(SchemaNames.Quantity),
        _ when type == typeof(object) || type.Name is "JsonElement" or "JsonNode" or "JsonObject" =>
            Ref(jsonName == "fieldsV1" ? SchemaNames.FieldsV1 : SchemaNames.RawExtension),
        _ => null,
    };

    private static JsonObject Primitive(string type, string? format = null)
    {
        var schema = new JsonObject();
        if (format is not null)
        {
            schema["format"] = format;
        }
        schema["type"] = type;
        return schema;
    }

    private JsonObject Ref(string name)
    {
        if (!_schemas.ContainsKey(name) && ScalarSchemas.Component(name) is { } scalar)
        {
            _schemas[name] = scalar;
        }
        return new JsonObject { ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = RefPrefix + name }) };
    }

    private static void AddDescription(JsonObject schema, string? description)
    {
        if (!string.IsNullOrEmpty(description))
        {
            schema["description"] = description;
        }
    }
}
