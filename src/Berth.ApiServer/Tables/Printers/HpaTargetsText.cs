using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Berth.ApiServer.Tables.Printers;

/// <summary>
/// The Targets cell of an HPA: for each of the first two metrics <c>current/target</c>, the current value taken from
/// the status metric at the same index (<c>&lt;unknown&gt;</c> until the controller has measured it). Resource metrics
/// are prefixed with the resource name (<c>cpu: 12%/50%</c>, <c>memory: 100Mi/200Mi</c>); a utilization target absent
/// reads <c>&lt;auto&gt;</c>; average-value Object and External targets end in <c>(avg)</c>. More than two metrics end in
/// <c>+ N more...</c>; none reads <c>&lt;none&gt;</c>. Pure. Mirrors formatHPAMetrics in kubernetes/kubernetes
/// pkg/printers/internalversion/printers.go.
/// </summary>
internal static class HpaTargetsText
{
    private const int Shown = 2;
    private const string Unknown = "<unknown>";

    public static string Format(JsonArray? specs, JsonArray? statuses)
    {
        if (specs is not { Count: > 0 })
        {
            return "<none>";
        }
        var list = new List<string>(specs.Count);
        for (var i = 0; i < specs.Count; i++)
        {
            list.Add(One(specs[i] as JsonObject, i < (statuses?.Count ?? 0) ? statuses![i] as JsonObject : null));
        }
        var text = string.Join(", ", list.Take(Shown));
        return list.Count > Shown ? $"{text} + {list.Count - Shown} more..." : text;
    }

    private static string One(JsonObject? spec, JsonObject? status)
    {
        var type = spec.StrOrEmpty("type");
        var field = type switch
        {
            "Resource" => "resource",
            "ContainerResource" => "containerResource",
            "Pods" => "pods",
            "Object" => "object",
            "External" => "external",
            _ => null,
        };
        if (field is null)
        {
            return "<unknown type>";
        }
        var target = spec.Obj(field).Obj("target");
        var current = status.Obj(field).Obj("current");
        return field switch
        {
            "resource" or "containerResource" => spec.Obj(field).StrOrEmpty("name") + ": " + ResourceText(target, current),
            "pods" => $"{Quantity(current, "averageValue")}/{Quantity(target, "averageValue")}",
            _ when target.Has("averageValue") => $"{Quantity(current, "averageValue")}/{Quantity(target, "averageValue")} (avg)",
            _ => $"{Quantity(current, "value")}/{Quantity(target, "value")}",
        };
    }

    private static string ResourceText(JsonObject? target, JsonObject? current)
    {
        if (target.Has("averageValue"))
        {
            return $"{Quantity(current, "averageValue")}/{Quantity(target, "averageValue")}";
        }
        var now = current.Int("averageUtilization") is { } u ? u.ToString(CultureInfo.InvariantCulture) + "%" : Unknown;
        var goal = target.Int("averageUtilization") is { } t ? t.ToString(CultureInfo.InvariantCulture) + "%" : "<auto>";
        return now + "/" + goal;
    }

    /// <summary>Quantity.String() of a field; <c>&lt;unknown&gt;</c> when the object or field is absent.</summary>
    private static string Quantity(JsonObject? obj, string key)
    {
        var node = obj is not null && obj.TryGetPropertyValue(key, out var n) ? n : null;
        if (node is not JsonValue value)
        {
            return Unknown;
        }
        var text = value.AsString() ?? value.ToJsonString();
        try
        {
            return new ResourceQuantity(text).CanonicalizeString();
        }
        catch (FormatException)
        {
            return text;
        }
    }
}
