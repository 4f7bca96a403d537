using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.Registry.Generic;

/// <summary>
/// Checks an object against its built-in type the way decoding into the Go structs does upstream: a value of the wrong
/// JSON type is a 400 (<c>json: cannot unmarshal number into Go struct field ConfigMap.data of type string</c>), and
/// fields the type does not have are removed and reported with upstream's path syntax (<c>spec.containers[0].foo</c>)
/// for <c>fieldValidation=Strict|Warn</c> (sigs.k8s.io/json strict errors, kubernetes/kubernetes#106568).
/// JSON null is accepted anywhere (Go decodes it as the zero value).
/// </summary>
/// <remarks>Mutates the object it is given (pruning); thread-safe otherwise.</remarks>
internal sealed class ModelConformance
{
    private readonly string _kindName;
    private readonly string _version;
    private readonly List<string> _unknown = [];

    private ModelConformance(string kindName, string version) => (_kindName, _version) = (kindName, version);

    /// <summary>Prunes unknown fields of <paramref name="obj"/>, returns their paths in document order; 400 on a type mismatch.</summary>
    public static List<string> Check(ModelSchema schema, JsonObject obj, string kindName, string version)
    {
        var check = new ModelConformance(kindName, version);
        check.CheckObject(schema, obj, "", "", kindName);
        return check._unknown;
    }

    private void CheckObject(ModelSchema schema, JsonObject obj, string path, string goPath, string structName)
    {
        List<string>? remove = null;
        foreach (var (name, value) in obj)
        {
            var fieldPath = path.Length == 0 ? name : path + "." + name;
            var property = schema.Property(name);
            if (property is null)
            {
                (remove ??= []).Add(name);
                _unknown.Add(fieldPath);
                continue;
            }
            var fieldGoPath = goPath.Length == 0 ? name : goPath + "." + name;
            CheckValue(property, value, fieldPath, fieldGoPath, structName);
        }
        foreach (var name in remove ?? [])
        {
            obj.Remove(name);
        }
    }

    private void CheckValue(ModelSchema schema, JsonNode? value, string path, string goPath, string structName)
    {
        if (value is null || schema.Shape == SchemaShape.Any)
        {
            return;
        }
        switch (schema.Shape, value)
        {
            case (SchemaShape.Object, JsonObject o):
                CheckObject(schema, o, path, goPath, schema.StructName ?? structName);
                return;
            case (SchemaShape.List, JsonArray a):
                for (var i = 0; i < a.Count; i++)
                {
                    CheckValue(schema.Element!, a[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", goPath, structName);
                }
                return;
            case (SchemaShape.Map, JsonObject m):
                foreach (var (key, item) in m)
                {
                    CheckValue(schema.Element!, item, path + "." + key, goPath, structName);
                }
                return;
        }
        if (!ScalarMatches(schema.Shape, value))
        {
            throw ApiErrors.BadRequest(
                $"{_kindName} in version \"{_version}\" cannot be handled as a {_kindName}: json: cannot unmarshal " +
                $"{Describe(schema.Shape, value)} into Go struct field {structName}.{goPath} of type {schema.GoType}");
        }
    }

    private static bool ScalarMatches(SchemaShape shape, JsonNode value)
    {
        var kind = value.GetValueKind();
        return shape switch
        {
            SchemaShape.String => kind == JsonValueKind.String,
            SchemaShape.Boolean => kind is JsonValueKind.True or JsonValueKind.False,
            SchemaShape.Number => kind == JsonValueKind.Number,
            SchemaShape.Integer => kind == JsonValueKind.Number && IsInteger(value),
            SchemaShape.StringOrNumber => kind is JsonValueKind.String or JsonValueKind.Number,
            _ => false,
        };
    }

    private static bool IsInteger(JsonNode value) =>
        long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>Go's name for the JSON value found (<c>number 1.5</c> for a fraction where an integer belongs).</summary>
    private static string Describe(SchemaShape expected, JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.Number when expected == SchemaShape.Integer => "number " + value.ToJsonString(),
        _ => "number",
    };
}
