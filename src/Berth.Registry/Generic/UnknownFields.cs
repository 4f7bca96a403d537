using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Registry.Generic;

/// <summary>
/// Finds and removes the fields a built-in type does not have, reporting them with upstream's path syntax
/// (<c>spec.containers[0].foo</c>). Upstream drops such fields while decoding into Go structs and reports them for
/// <c>fieldValidation=Strict|Warn</c> (sigs.k8s.io/json strict errors, kubernetes/kubernetes#106568).
/// </summary>
/// <remarks>Mutates the object it is given; thread-safe otherwise.</remarks>
internal static class UnknownFields
{
    /// <summary>Removes unknown fields from <paramref name="obj"/> and returns their paths in document order.</summary>
    public static List<string> Prune(ModelSchema schema, JsonObject obj)
    {
        var found = new List<string>();
        PruneObject(schema, obj, "", found);
        return found;
    }

    private static void PruneObject(ModelSchema schema, JsonObject obj, string path, List<string> found)
    {
        List<string>? remove = null;
        foreach (var (name, value) in obj)
        {
            var fieldPath = path.Length == 0 ? name : path + "." + name;
            var property = schema.Property(name);
            if (property is null)
            {
                (remove ??= []).Add(name);
                found.Add(fieldPath);
            }
            else
            {
                PruneValue(property, value, fieldPath, found);
            }
        }
        if (remove is not null)
        {
            foreach (var name in remove)
            {
                obj.Remove(name);
            }
        }
    }

    private static void PruneValue(ModelSchema schema, JsonNode? value, string path, List<string> found)
    {
        switch (schema.Shape)
        {
            case SchemaShape.Object when value is JsonObject o:
                PruneObject(schema, o, path, found);
                break;
            case SchemaShape.List when value is JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    PruneValue(schema.Element!, a[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", found);
                }
                break;
            case SchemaShape.Map when value is JsonObject m:
                foreach (var (key, item) in m)
                {
                    PruneValue(schema.Element!, item, path + "." + key, found);
                }
                break;
        }
    }
}
