using System.Text.Json.Nodes;

namespace Berth.Registry.Generic;

/// <summary>Success <c>Status</c> bodies (metav1.Status with status "Success").</summary>
internal static class StatusObjects
{
    /// <summary><c>{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success"}</c>, with a code when given.</summary>
    public static JsonObject Success(int? code = null, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success",
        };
        if (details is not null)
        {
            status["details"] = details;
        }
        if (code is not null)
        {
            status["code"] = (long)code.Value;
        }
        return status;
    }
}
