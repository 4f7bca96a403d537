using System.Text.Json.Nodes;
using Berth.Machinery.Patching;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// Publishes the strategic-merge metadata of <see cref="PatchMergeKeys"/>, the table the server's own strategic merge
/// patch reads, as upstream's schema extensions: <c>x-kubernetes-patch-merge-key</c>, <c>x-kubernetes-patch-strategy</c>
/// and, for lists upstream declares as maps, <c>x-kubernetes-list-type</c> and <c>x-kubernetes-list-map-keys</c>.
/// The table is written by path from each kind's root, the document by type, so <see cref="ByModel"/> walks the table
/// along the models to find the metadata of each model type. Stateless.
/// </summary>
internal static class PatchMarkers
{
    /// <summary>
    /// The patch schema of every model reached from <paramref name="roots"/> through a field the table lists. A model
    /// reached twice keeps the first schema (the table gives a shared type one schema wherever it is used).
    /// </summary>
    public static Dictionary<Type, PatchSchema> ByModel(IEnumerable<(Type Model, PatchSchema? Schema)> roots)
    {
        var result = new Dictionary<Type, PatchSchema>();
        foreach (var (model, schema) in roots)
        {
            Assign(result, model, schema);
        }
        return result;
    }

    /// <summary>Adds the extensions of <paramref name="field"/> to a property schema.</summary>
    public static void Write(JsonObject property, PatchField field)
    {
        if (field.MergeKey is not null)
        {
            property["x-kubernetes-patch-merge-key"] = field.MergeKey;
        }
        if (Strategy(field) is { } strategy)
        {
            property["x-kubernetes-patch-strategy"] = strategy;
        }
        if (field.ListMapKeys is { Count: > 0 } keys)
        {
            property["x-kubernetes-list-map-keys"] = new JsonArray([.. keys.Select(k => JsonValue.Create(k))]);
            property["x-kubernetes-list-type"] = "map";
        }
    }

    private static string? Strategy(PatchField field) => (field.Strategy, field.RetainKeys) switch
    {
        (PatchStrategy.Merge, true) => "merge,retainKeys",
        (PatchStrategy.Merge, false) => "merge",
        (PatchStrategy.Replace, _) => "replace",
        (PatchStrategy.Default, true) => "retainKeys",
        _ => null,
    };

    private static void Assign(Dictionary<Type, PatchSchema> result, Type model, PatchSchema? schema)
    {
        if (schema is null || !result.TryAdd(model, schema))
        {
            return;
        }
        foreach (var (jsonName, property) in ModelTypes.Properties(model))
        {
            if (schema.Field(jsonName) is { Schema: { } child } && ModelTypes.ModelOf(property.PropertyType) is { } childModel)
            {
                Assign(result, childModel, child);
            }
        }
    }
}
