using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// One parsed <c>metadata.managedFields</c> entry: who (manager, operation, apiVersion, subresource), when, and the
/// <see cref="FieldPaths"/> paths it owns. Two entries are the same manager when manager, operation and subresource
/// match and, for <c>Update</c> entries, apiVersion too (an applier keeps its entry across versions, as upstream's
/// BuildManagerIdentifier leaves apiVersion out for Apply). Mutable while one write is being recorded; not thread-safe.
/// </summary>
internal sealed class ManagerEntry
{
    public ManagerEntry(string manager, string operation, string apiVersion, string? subresource, string? time, HashSet<string> fields)
    {
        Manager = manager;
        Operation = operation;
        ApiVersion = apiVersion;
        Subresource = string.IsNullOrEmpty(subresource) ? null : subresource;
        Time = time;
        Fields = fields;
    }

    public string Manager { get; }

    public string Operation { get; }

    public string ApiVersion { get; }

    public string? Subresource { get; }

    /// <summary>RFC 3339 seconds, as stored; null when the entry has none.</summary>
    public string? Time { get; set; }

    public HashSet<string> Fields { get; }

    /// <summary>True when this entry belongs to the manager identified by the arguments.</summary>
    public bool Is(string manager, string operation, string apiVersion, string? subresource) =>
        Manager == manager && Operation == operation && (Subresource ?? "") == (subresource ?? "") &&
        (operation == ManagedFields.ApplyOperation || ApiVersion == apiVersion);

    public bool IsSameManagerAs(ManagerEntry other) => Is(other.Manager, other.Operation, other.ApiVersion, other.Subresource);

    /// <summary>
    /// How a conflict message names this manager: <c>"kubectl"</c> for an applier, <c>"kubectl-scale" with subresource
    /// "scale" using apps/v1</c> for an updater (upstream's conflict text; the time is not part of it).
    /// </summary>
    public string Describe()
    {
        var text = Quote(Manager);
        if (Subresource is not null)
        {
            text += " with subresource " + Quote(Subresource);
        }
        return Operation == ManagedFields.UpdateOperation ? text + " using " + ApiVersion : text;
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is not null)
        {
            json["time"] = Time;
        }
        json["fieldsType"] = "FieldsV1";
        json["fieldsV1"] = FieldsV1.Render(Fields);
        if (Subresource is not null)
        {
            json["subresource"] = Subresource;
        }
        return json;
    }

    /// <summary>The stored time format (seconds, UTC), as metav1.Time serializes.</summary>
    public static string FormatTime(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Go's <c>%q</c> for the printable names managers have: double quotes, with quote and backslash escaped.</summary>
    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
