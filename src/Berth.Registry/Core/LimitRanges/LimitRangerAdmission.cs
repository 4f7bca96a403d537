using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.LimitRanges;

/// <summary>
/// The LimitRanger admission step of a pod create, against the LimitRanges of the pod's namespace. Mutation: every
/// init and app container gets the Container items' <c>defaultRequest</c> and <c>default</c> for resources it does not
/// set, recorded in the <c>kubernetes.io/limit-ranger</c> annotation. Validation: each container's requests and limits
/// (Container items) and the pod's totals (Pod items) within min, max and maxLimitRequestRatio, else upstream's 403
/// (<c>pods "x" is forbidden: maximum cpu usage per Container is 1, but limit is 2</c>; several as <c>[a, b]</c>).
/// Runs on the pod before registry defaulting, so requests are first defaulted from limits as the API would.
/// Pure, thread-safe. Mirrors kubernetes/kubernetes plugin/pkg/admission/limitranger/admission.go
/// (PodMutateLimitFunc, PodValidateLimitFunc, minConstraint, maxConstraint, limitRequestRatioConstraint).
/// </summary>
internal static class LimitRangerAdmission
{
    public const string Annotation = "kubernetes.io/limit-ranger";

    private static readonly (string List, string Label)[] ContainerLists = [("containers", "container"), ("initContainers", "init container")];

    /// <summary>Mutates then validates <paramref name="pod"/> against <paramref name="limitRanges"/>; throws a 403 <see cref="ApiException"/>.</summary>
    public static void Admit(JsonObject pod, IReadOnlyList<JsonObject> limitRanges)
    {
        if (limitRanges.Count == 0 || pod["spec"] is not JsonObject spec)
        {
            return;
        }
        Pods.PodDefaults.DefaultRequestsFromLimits(spec);
        foreach (var limitRange in limitRanges)
        {
            Mutate(pod, spec, limitRange);
        }
        var errors = new List<string>();
        foreach (var limitRange in limitRanges)
        {
            Validate(spec, limitRange, errors);
        }
        var distinct = errors.Distinct().ToList();
        if (distinct.Count > 0)
        {
            var name = pod.GetName() is { Length: > 0 } n ? n : pod.GetString("metadata", "generateName") is { Length: > 0 } g ? g : "Unknown";
            throw ApiErrors.Forbidden(KindRegistry.Pods, name, distinct.Count == 1 ? distinct[0] : "[" + string.Join(", ", distinct) + "]");
        }
    }

    private static IEnumerable<JsonObject> Items(JsonObject limitRange, string type) =>
        JsonFields.Objects(limitRange["spec"]?["limits"] as JsonArray).Select(p => p.Item).Where(i => JsonFields.AsString(i["type"]) == type);

    private static void Mutate(JsonObject pod, JsonObject spec, JsonObject limitRange)
    {
        var requests = new JsonObject();
        var limits = new JsonObject();
        foreach (var item in Items(limitRange, LimitRangeValidation.Container))
        {
            Merge(requests, item["defaultRequest"] as JsonObject);
            Merge(limits, item["default"] as JsonObject);
        }
        if (requests.Count == 0 && limits.Count == 0)
        {
            return;
        }
        var notes = new List<string>();
        foreach (var (list, label) in ContainerLists)
        {
            foreach (var (_, container) in JsonFields.Objects(spec[list] as JsonArray))
            {
                var resources = JsonFields.Child(container, "resources");
                var setLimits = Fill(resources, "limits", limits);
                var setRequests = Fill(resources, "requests", requests);
                if (setRequests.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setRequests)} request for {label} {JsonFields.AsString(container["name"])}");
                }
                if (setLimits.Count > 0)
                {
                    notes.Add($"{string.Join(", ", setLimits)} limit for {label} {JsonFields.AsString(container["name"])}");
                }
            }
        }
        if (notes.Count > 0)
        {
            JsonFields.Child(pod.Metadata(), "annotations")[Annotation] = "LimitRanger plugin set: " + string.Join("; ", notes);
        }
    }

    private static void Merge(JsonObject into, JsonObject? from)
    {
        foreach (var (name, value) in from ?? [])
        {
            into[name] = value?.DeepClone();
        }
    }

    /// <summary>Adds the defaults the container lacks; returns the names it added, sorted.</summary>
    private static List<string> Fill(JsonObject resources, string key, JsonObject defaults)
    {
        var set = new List<string>();
        if (defaults.Count == 0)
        {
            return set;
        }
        var current = JsonFields.Child(resources, key);
        foreach (var (name, value) in defaults)
        {
            if (!current.ContainsKey(name))
            {
                current[name] = value?.DeepClone();
                set.Add(name);
            }
        }
        set.Sort(StringComparer.Ordinal);
        return set;
    }

    private static void Validate(JsonObject spec, JsonObject limitRange, List<string> errors)
    {
        foreach (var item in Items(limitRange, LimitRangeValidation.Container))
        {
            foreach (var (list, _) in ContainerLists)
            {
                foreach (var (_, container) in JsonFields.Objects(spec[list] as JsonArray))
                {
                    var resources = container["resources"] as JsonObject;
                    Check(item, LimitRangeValidation.Container, Quantities(resources?["requests"]), Quantities(resources?["limits"]), errors);
                }
            }
        }
        foreach (var item in Items(limitRange, LimitRangeValidation.Pod))
        {
            Check(item, LimitRangeValidation.Pod, PodTotal(spec, "requests"), PodTotal(spec, "limits"), errors);
        }
    }

    private static void Check(JsonObject item, string type, Dictionary<string, (decimal Value, string Text)> requests,
        Dictionary<string, (decimal Value, string Text)> limits, List<string> errors)
    {
        foreach (var (name, enforced) in Sorted(item["min"]))
        {
            var req = requests.GetValueOrDefault(name);
            var lim = limits.GetValueOrDefault(name);
            if (!requests.ContainsKey(name))
            {
                errors.Add($"minimum {name} usage per {type} is {enforced.Text}.  No request is specified");
            }
            else if (req.Value < enforced.Value)
            {
                errors.Add($"minimum {name} usage per {type} is {enforced.Text}, but request is {req.Text}");
            }
            else if (limits.ContainsKey(name) && lim.Value < enforced.Value)
            {
                errors.Add($"minimum {name} usage per {type} is {enforced.Text}, but limit is {lim.Text}");
            }
        }
        foreach (var (name, enforced) in Sorted(item["max"]))
        {
            var req = requests.GetValueOrDefault(name);
            var lim = limits.GetValueOrDefault(name);
            if (!limits.ContainsKey(name))
            {
                errors.Add($"maximum {name} usage per {type} is {enforced.Text}.  No limit is specified");
            }
            else if (lim.Value > enforced.Value)
            {
                errors.Add($"maximum {name} usage per {type} is {enforced.Text}, but limit is {lim.Text}");
            }
            else if (requests.ContainsKey(name) && req.Value > enforced.Value)
            {
                errors.Add($"maximum {name} usage per {type} is {enforced.Text}, but request is {req.Text}");
            }
        }
        foreach (var (name, enforced) in Sorted(item["maxLimitRequestRatio"]))
        {
            var req = requests.GetValueOrDefault(name);
            var lim = limits.GetValueOrDefault(name);
            if (req.Value == 0)
            {
                errors.Add($"{name} max limit to request ratio per {type} is {enforced.Text}, but no request is specified or request is 0");
            }
            else if (lim.Value == 0)
            {
                errors.Add($"{name} max limit to request ratio per {type} is {enforced.Text}, but no limit is specified or limit is 0");
            }
            else if (lim.Value / req.Value > enforced.Value)
            {
                var ratio = ((double)(lim.Value / req.Value)).ToString("F6", CultureInfo.InvariantCulture);
                errors.Add($"{name} max limit to request ratio per {type} is {enforced.Text}, but provided ratio is {ratio}");
            }
        }
    }

    /// <summary>The resources of a list, sorted by name (upstream walks a Go map; the order of several errors is unspecified there).</summary>
    private static IEnumerable<(string Name, (decimal Value, string Text) Quantity)> Sorted(JsonNode? list) =>
        Quantities(list).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));

    private static Dictionary<string, (decimal Value, string Text)> Quantities(JsonNode? list)
    {
        var result = new Dictionary<string, (decimal, string)>(StringComparer.Ordinal);
        foreach (var (name, node) in list as JsonObject ?? [])
        {
            if (QuantityValidation.TryParse(node) is { } value)
            {
                result[name] = (value, QuantityValidation.Canonical(node));
            }
        }
        return result;
    }

    /// <summary>
    /// The pod's requests or limits: the sum over app containers, raised to any single init container's value; printed
    /// in the format of the first quantity of each resource, as Quantity.Add keeps it.
    /// </summary>
    private static Dictionary<string, (decimal Value, string Text)> PodTotal(JsonObject spec, string key)
    {
        var sums = new Dictionary<string, (decimal Value, bool Binary)>(StringComparer.Ordinal);
        foreach (var (list, _) in ContainerLists)
        {
            foreach (var (_, c) in JsonFields.Objects(spec[list] as JsonArray))
            {
                foreach (var (name, (value, text)) in Quantities(c["resources"]?[key]))
                {
                    var binary = sums.TryGetValue(name, out var sum) ? sum.Binary : text.EndsWith('i');
                    var total = list == "containers" ? sum.Value + value : Math.Max(sum.Value, value);
                    sums[name] = (total, binary);
                }
            }
        }
        return sums.ToDictionary(p => p.Key, p => (p.Value.Value, Format(p.Value.Value, p.Value.Binary)), StringComparer.Ordinal);
    }

    private static string Format(decimal value, bool binary) =>
        binary && decimal.Truncate(value) == value
            ? Berth.Machinery.Meta.QuantityFormat.Binary((long)value)
            : Berth.Machinery.Meta.QuantityFormat.DecimalNano((long)Math.Ceiling(value * 1_000_000_000m));
}
