using System.Text.Json.Nodes;

namespace Berth.ApiServer.OpenApi;

/// <summary>
/// The components of the types upstream serialises as scalars or raw JSON, in the shapes its OpenAPI v3 documents give
/// them (a date-time string, an int-or-string <c>oneOf</c>, a string-or-number quantity, an untyped object), so that
/// <c>kubectl explain</c> names them as on a cluster (<c>&lt;Quantity&gt;</c>, <c>&lt;IntOrString&gt;</c>,
/// <c>&lt;string&gt;</c>). Descriptions are Berth's own. Pure.
/// </summary>
internal static class ScalarSchemas
{
    /// <summary>The component named <paramref name="name"/> (one of the scalar names of <see cref="SchemaNames"/>), or null.</summary>
    public static JsonObject? Component(string name) => name switch
    {
        SchemaNames.Time => new JsonObject
        {
            ["description"] = "A point in time, serialised as an RFC 3339 date-time in UTC.",
            ["format"] = "date-time",
            ["type"] = "string",
        },
        SchemaNames.IntOrString => new JsonObject
        {
            ["description"] = "A value that is either an integer or a string, such as a port number or a port name, or a count or a percentage.",
            ["format"] = "int-or-string",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
        },
        SchemaNames.Quantity => new JsonObject
        {
            ["description"] = "A fixed-point amount with an optional decimal or binary unit suffix, such as 100m, 2, 1.5Gi or 1e3.",
            ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
        },
        SchemaNames.RawExtension => new JsonObject
        {
            ["description"] = "An embedded object, kept as the JSON it was given.",
            ["type"] = "object",
        },
        SchemaNames.FieldsV1 => new JsonObject
        {
            ["description"] = "The set of fields a manager owns, as a tree of field, key and value entries (format FieldsV1).",
            ["type"] = "object",
        },
        _ => null,
    };
}
