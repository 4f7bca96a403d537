using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;

namespace Berth.Registry;

/// <summary>
/// Reads a meta/v1 <c>DeleteOptions</c> in JSON form (a DELETE body, or an Eviction's <c>deleteOptions</c>).
/// Deprecated <c>orphanDependents</c> maps to the matching propagationPolicy, as upstream does.
/// </summary>
public static class DeleteOptionsJson
{
    /// <summary>Parses <paramref name="json"/> (null gives empty options). Throws 400 on wrongly typed fields.</summary>
    public static DeleteOptions Parse(JsonObject? json)
    {
        if (json is null)
        {
            return new DeleteOptions();
        }
        try
        {
            var policy = json.GetString("propagationPolicy");
            if (policy is null && json.GetBool("orphanDependents") is { } orphan)
            {
                policy = orphan ? "Orphan" : "Background";
            }
            return new DeleteOptions(
                GracePeriodSeconds: ReadLong(json["gracePeriodSeconds"]),
                PropagationPolicy: policy,
                PreconditionUid: json["preconditions"]?["uid"]?.GetValue<string>(),
                PreconditionResourceVersion: json["preconditions"]?["resourceVersion"]?.GetValue<string>(),
                DryRun: IsDryRun(json["dryRun"]));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw ApiErrors.BadRequest($"invalid DeleteOptions: {e.Message}");
        }
    }

    /// <summary>True for <c>dryRun: ["All"]</c>; 400 for any other value (upstream ValidateDryRun).</summary>
    public static bool IsDryRun(JsonNode? dryRun)
    {
        if (dryRun is null)
        {
            return false;
        }
        var values = dryRun is JsonArray a ? a.Select(v => v?.GetValue<string>()).ToList() : [dryRun.GetValue<string>()];
        foreach (var v in values)
        {
            if (v != "All")
            {
                throw ApiErrors.Invalid(DeleteOptionsKind, "",
                    [FieldError.NotSupported("dryRun", v ?? "", ["All"])]);
            }
        }
        return values.Count > 0;
    }

    /// <summary>A JSON number as a long, whatever CLR type built the node; 400 for anything else.</summary>
    private static long? ReadLong(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number &&
            long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) => l,
        _ => throw ApiErrors.BadRequest($"invalid DeleteOptions: gracePeriodSeconds must be an integer, got {node.ToJsonString()}"),
    };

    private static readonly Berth.Machinery.Kinds.ResourceKind DeleteOptionsKind =
        new("meta.k8s.io", "v1", "DeleteOptions", "deleteoptions", "deleteoptions", false, [], [], []);
}
