using System.Text.Json.Nodes;

namespace Berth.Machinery.Errors;

/// <summary>
/// Renders an <see cref="ApiException"/> as a meta/v1 <c>Status</c> object. Written by hand because KubernetesClient's
/// <c>V1Status</c> converter cannot serialise (its Write method is not implemented and throws).
/// Field order and omission follow apimachinery's JSON for metav1.Status.
/// </summary>
public static class StatusJson
{
    public static JsonObject FromException(ApiException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(),
            ["status"] = "Failure", ["message"] = error.Message, ["reason"] = error.Reason,
        };
        if (error.Details is { } d)
        {
            var details = new JsonObject();
            Add(details, "name", d.Name);
            Add(details, "group", d.Group);
            Add(details, "kind", d.Kind);
            Add(details, "uid", d.Uid);
            if (d.Causes is { Count: > 0 } causes)
            {
                details["causes"] = new JsonArray(causes.Select(c => (JsonNode?)Cause(c.Reason, c.Message, c.Field)).ToArray());
            }
            if (d.RetryAfterSeconds is { } retry)
            {
                details["retryAfterSeconds"] = (long)retry;
            }
            status["details"] = details;
        }
        status["code"] = (long)error.Code;
        return status;
    }

    /// <summary>The Status of <paramref name="error"/> as compact JSON text.</summary>
    public static string Serialize(ApiException error) => FromException(error).ToJsonString();

    private static JsonObject Cause(string? reason, string? message, string? field)
    {
        var cause = new JsonObject();
        Add(cause, "reason", reason);
        Add(cause, "message", message);
        Add(cause, "field", field);
        return cause;
    }

    private static void Add(JsonObject obj, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            obj[name] = value;
        }
    }
}
