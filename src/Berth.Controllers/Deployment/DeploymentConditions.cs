using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Controllers.Scheduling;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Deployment;

/// <summary>
/// Deployment conditions and their reasons, on a status object the caller owns. Setting a condition whose status and
/// reason are unchanged does nothing; a changed reason with the same status keeps <c>lastTransitionTime</c>.
/// Mirrors kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go (NewDeploymentCondition,
/// SetDeploymentCondition, RemoveDeploymentCondition and the reason constants).
/// </summary>
public static class DeploymentConditions
{
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";

    public const string NewRSReason = "NewReplicaSetCreated";
    public const string FoundNewRSReason = "FoundNewReplicaSet";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string NewRSAvailableReason = "NewReplicaSetAvailable";
    public const string TimedOutReason = "ProgressDeadlineExceeded";
    public const string PausedDeployReason = "DeploymentPaused";
    public const string ResumedDeployReason = "DeploymentResumed";
    public const string FailedRSCreateReason = "ReplicaSetCreateError";
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    public static JsonObject New(string type, string status, string reason, string message, DateTimeOffset now) => new()
    {
        ["type"] = type, ["status"] = status, ["lastUpdateTime"] = MetaTimes.Format(now), ["lastTransitionTime"] = MetaTimes.Format(now),
        ["reason"] = reason, ["message"] = message,
    };

    public static JsonObject? Get(JsonObject? status, string type) =>
        (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    public static void Set(JsonObject status, JsonObject condition)
    {
        var current = Get(status, condition.GetString("type")!);
        if (current is not null && current.GetString("status") == condition.GetString("status") && current.GetString("reason") == condition.GetString("reason"))
        {
            return;
        }
        if (current is not null && current.GetString("status") == condition.GetString("status"))
        {
            condition["lastTransitionTime"] = current["lastTransitionTime"]?.DeepClone();
        }
        Remove(status, condition.GetString("type")!);
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }
        conditions.Add(condition);
    }

    public static void Remove(JsonObject status, string type)
    {
        if (status["conditions"] is JsonArray conditions && Get(status, type) is { } current)
        {
            conditions.Remove(current);
            if (conditions.Count == 0)
            {
                status.Remove("conditions");
            }
        }
    }

    public static DateTimeOffset? LastUpdateTime(JsonObject condition) =>
        DateTimeOffset.TryParse(condition.GetString("lastUpdateTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
