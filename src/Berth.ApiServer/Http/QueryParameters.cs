using System.Globalization;
using Berth.Machinery.Errors;
using Berth.Registry;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>
/// Reads list, write and delete options from the query string, with 400 for malformed values.
/// Mirrors the query conversion of k8s.io/apimachinery meta/v1 (ListOptions, CreateOptions, PatchOptions, DeleteOptions).
/// </summary>
internal static class QueryParameters
{
    public static bool IsWatch(HttpRequest request) => Bool(request, "watch");

    public static ListOptions List(HttpRequest request) => new(
        LabelSelector: Text(request, "labelSelector"),
        FieldSelector: Text(request, "fieldSelector"),
        ResourceVersion: Text(request, "resourceVersion"),
        Limit: (int)(Long(request, "limit") ?? 0),
        Continue: Text(request, "continue"),
        AllowWatchBookmarks: Bool(request, "allowWatchBookmarks"),
        TimeoutSeconds: Long(request, "timeoutSeconds") is { } t ? (int)Math.Min(t, int.MaxValue) : null);

    /// <summary>dryRun, fieldManager, fieldValidation (default Warn, as upstream since v1.27) and force.</summary>
    public static WriteOptions Write(HttpRequest request) => new(
        DryRun: DryRun(request),
        FieldManager: Text(request, "fieldManager"),
        FieldValidation: FieldValidationOf(Text(request, "fieldValidation")),
        Force: Bool(request, "force"));

    /// <summary>DeleteOptions from the query; a body, when present, is read by the caller and wins field by field.</summary>
    public static DeleteOptions Delete(HttpRequest request)
    {
        var policy = Text(request, "propagationPolicy");
        if (policy is null && request.Query.ContainsKey("orphanDependents"))
        {
            policy = Bool(request, "orphanDependents") ? "Orphan" : "Background";
        }
        return new DeleteOptions(GracePeriodSeconds: Long(request, "gracePeriodSeconds"), PropagationPolicy: policy, DryRun: DryRun(request));
    }

    public static FieldValidation FieldValidationOf(string? value) => value switch
    {
        null or "" or "Warn" => FieldValidation.Warn,
        "Strict" => FieldValidation.Strict,
        "Ignore" => FieldValidation.Ignore,
        _ => throw ApiErrors.BadRequest($"fieldValidation parameter unsupported: \"{value}\""),
    };

    private static bool DryRun(HttpRequest request)
    {
        var values = request.Query["dryRun"];
        foreach (var v in values)
        {
            if (v != "All")
            {
                throw ApiErrors.BadRequest($"dryRun: Unsupported value: \"{v}\": supported values: \"All\"");
            }
        }
        return values.Count > 0;
    }

    private static string? Text(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    private static bool Bool(HttpRequest request, string name) => Text(request, name) switch
    {
        null or "" or "false" or "0" or "False" => false,
        "true" or "1" or "True" => true,
        var other => throw ApiErrors.BadRequest($"invalid value for {name}: \"{other}\""),
    };

    private static long? Long(HttpRequest request, string name)
    {
        var text = Text(request, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"invalid value for {name}: \"{text}\"");
    }
}
