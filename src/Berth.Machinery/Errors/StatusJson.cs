using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Berth.Machinery.Errors;

/// <summary>
/// Serialises a <see cref="V1Status"/> to its wire JSON. Needed because KubernetesClient's own converter for
/// <c>V1Status</c> (<c>V1StatusObjectViewConverter</c>) only reads: its Write throws NotImplementedException, so
/// <c>KubernetesJson.Serialize(status)</c> fails. Pure and thread-safe.
/// </summary>
public static class StatusJson
{
    public static JsonObject ToJsonObject(V1Status status)
    {
        var json = new JsonObject
        {
            ["kind"] = status.Kind ?? "Status",
            ["apiVersion"] = status.ApiVersion ?? "v1",
            ["metadata"] = status.Metadata is null ? new JsonObject() : JsonNode.Parse(KubernetesJson.Serialize(status.Metadata)),
        };
        Add(json, "status", status.Status);
        Add(json, "message", status.Message);
        Add(json, "reason", status.Reason);
        if (status.Details is not null)
        {
            json["details"] = JsonNode.Parse(KubernetesJson.Serialize(status.Details));
        }
        if (status.Code is not null)
        {
            json["code"] = status.Code.Value;
        }
        return json;
    }

    /// <summary>The Status of <paramref name="error"/> as compact JSON text.</summary>
    public static string Serialize(ApiException error) => ToJsonObject(error.ToStatus()).ToJsonString();

    private static void Add(JsonObject json, string name, string? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}
