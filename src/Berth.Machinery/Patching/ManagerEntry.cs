using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Machinery.Patching;

/// <summary>
/// One <c>metadata.managedFields</c> entry: who (manager, operation, apiVersion, subresource), when, and the
/// <see cref="FieldPaths"/> paths it owns. Two entries are the same manager when manager, operation and subresource
/// match and, for <c>Update</c> entries, apiVersion too (an applier keeps its entry across versions, as upstream's
/// BuildManagerIdentifier leaves apiVersion out for Apply). An entry read from JSON parses its field set only when a
/// caller needs it, and is written back as it was (moved, or copied when it belongs to another object) unless its fields
/// or time changed: an update that touches nobody else's fields costs no parse or render of theirs.
/// Mutable while one write is being recorded; not thread-safe.
/// </summary>
internal sealed class ManagerEntry
{
    private readonly JsonObject? _source;
    private readonly bool _movable;
    private HashSet<string>? _fields;
    private string? _time;

    /// <summary>A new entry owning <paramref name="fields"/>.</summary>
    public ManagerEntry(string manager, string operation, string apiVersion, string? subresource, string? time, HashSet<string> fields)
        : this(manager, operation, apiVersion, subresource, time, null, false) => _fields = fields;

    /// <summary>
    /// An entry read from <paramref name="source"/>; <paramref name="movable"/> when the source belongs to the object
    /// the entries will be written to (it is then moved, not copied).
    /// </summary>
    public ManagerEntry(string manager, string operation, string apiVersion, string? subresource, string? time, JsonObject? source, bool movable)
    {
        Manager = manager;
        Operation = operation;
        ApiVersion = apiVersion;
        Subresource = string.IsNullOrEmpty(subresource) ? null : subresource;
        _time = time;
        _source = source;
        _movable = movable;
    }

    public string Manager { get; }

    public string Operation { get; }

    public string ApiVersion { get; }

    public string? Subresource { get; }

    /// <summary>RFC 3339 seconds, as stored; null when the entry has none.</summary>
    public string? Time
    {
        get => _time;
        set
        {
            Changed |= value != _time;
            _time = value;
        }
    }

    /// <summary>The owned paths; parsed on first use. A caller that mutates them calls <see cref="MarkChanged"/>.</summary>
    public HashSet<string> Fields => _fields ??= FieldsV1.Parse(_source?["fieldsV1"] as JsonObject);

    /// <summary>True once the fields or the time differ from the source.</summary>
    public bool Changed { get; private set; }

    public bool IsEmpty => _fields?.Count == 0 || (_fields is null && _source?["fieldsV1"] is not JsonObject { Count: > 0 });

    public void MarkChanged() => Changed = true;

    /// <summary>True when the entry owns <paramref name="path"/>, without parsing the whole set.</summary>
    public bool Owns(string path) => _fields?.Contains(path) ?? FieldsV1.Contains(_source?["fieldsV1"] as JsonObject, path);

    /// <summary>Gives up every path of <paramref name="first"/> and <paramref name="second"/> it owns.</summary>
    public void Release(HashSet<string> first, HashSet<string> second)
    {
        if (first.Any(Owns) || second.Any(Owns))
        {
            Fields.ExceptWith(first);
            Fields.ExceptWith(second);
            Changed = true;
        }
    }

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
        if (!Changed && _source is not null)
        {
            return _movable && _source.Parent is null ? _source : (JsonObject)_source.DeepClone();
        }
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
    private static string Quote(string s) => Berth.Machinery.Errors.GoQuote.Quote(s);
}
