using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.ApiServer.Streaming.Remote;

/// <summary>
/// Turns an agent's error reply (a meta/v1 Status, as its pods/log and pods/exec handlers write them) back into the
/// <see cref="ApiException"/> it stood for, so the API server answers kubectl exactly as for a local pod. Pure.
/// </summary>
internal static class KubeletReply
{
    public static ApiException ToException(int code, byte[] body, string node)
    {
        JsonObject? status = null;
        try
        {
            status = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
        }
        catch (JsonException)
        {
            // Not a Status; fall through to the generic error.
        }
        if (status?.GetString("kind") != "Status")
        {
            return new ApiException(code >= 500 ? 503 : code, code >= 500 ? StatusReason.ServiceUnavailable : StatusReason.BadRequest,
                $"the node agent of node \"{node}\" answered {code}");
        }
        return FromStatus(status, code);
    }

    public static ApiException FromStatus(JsonObject status, int fallbackCode)
    {
        var details = status.GetObject("details");
        return new ApiException((int)(status.GetLong("code") ?? fallbackCode), status.GetString("reason") ?? StatusReason.InternalError,
            status.GetString("message") ?? "", details is null ? null : new V1StatusDetails
            {
                Name = details.GetString("name"),
                Kind = details.GetString("kind"),
                Causes = details.GetArray("causes")?.OfType<JsonObject>()
                    .Select(c => new V1StatusCause { Reason = c.GetString("reason"), Message = c.GetString("message"), Field = c.GetString("field") })
                    .ToList(),
            });
    }
}
