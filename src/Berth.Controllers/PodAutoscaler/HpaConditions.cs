using System.Globalization;
using System.Text.Json.Nodes;

namespace Berth.Controllers.PodAutoscaler;

/// <summary>
/// The HPA status conditions: AbleToScale, ScalingActive and ScalingLimited, kept in the order first set. Setting a
/// condition overwrites reason and message; lastTransitionTime moves only when the status changes. Mutates the status
/// object it is given (the controller's private copy).
/// </summary>
/// <remarks>Mirrors setCondition / setConditionInList in kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go.</remarks>
public static class HpaConditions
{
    public const string AbleToScale = "AbleToScale";
    public const string ScalingActive = "ScalingActive";
    public const string ScalingLimited = "ScalingLimited";

    public static void Set(JsonObject status, string type, bool value, string reason, string message, DateTimeOffset now)
    {
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = [];
            status["conditions"] = conditions;
        }
        var condition = conditions.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);
        if (condition is null)
        {
            condition = new JsonObject { ["type"] = type };
            conditions.Add(condition);
        }
        var text = value ? "True" : "False";
        if ((string?)condition["status"] != text || condition["lastTransitionTime"] is null)
        {
            condition["lastTransitionTime"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }
        condition["status"] = text;
        condition["reason"] = reason;
        condition["message"] = message;
    }

    /// <summary>The condition's reason, or null when absent (for tests and logs).</summary>
    public static string? ReasonOf(JsonObject hpa, string type) =>
        (hpa["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type)?["reason"]?.GetValue<string>();
}
