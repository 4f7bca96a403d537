using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.UnitTests.ApiServer.BadInput;

/// <summary>
/// A small valid object per kind (without metadata.name), for mutations that should get past validation into
/// defaulting, admission, storage and table printing. Kinds not listed start from an object with only metadata.
/// </summary>
internal static class KindSeeds
{
    private static JsonObject PodSpec(string restartPolicy = "Always") => new()
    {
        ["restartPolicy"] = restartPolicy,
        ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox", ["command"] = new JsonArray("sleep", "1") }),
    };

    private static JsonObject Template(string restartPolicy = "Always") => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "a" } },
        ["spec"] = PodSpec(restartPolicy),
    };

    private static JsonObject Selector() => new() { ["matchLabels"] = new JsonObject { ["app"] = "a" } };

    /// <summary>The kinds this sweep must reach past validation with at least one mutation.</summary>
    public static readonly string[] Required = ["Pod", "Service", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ConfigMap", "Secret", "Namespace", "Node"];

    public static JsonObject For(ResourceKind kind) => kind == KindRegistry.HorizontalPodAutoscalersV1 ? HorizontalPodAutoscalerV1() : kind.Kind switch
    {
        "Pod" => new() { ["spec"] = PodSpec() },
        "Service" => new() { ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) } },
        "Deployment" or "ReplicaSet" or "DaemonSet" => new() { ["spec"] = new JsonObject { ["selector"] = Selector(), ["template"] = Template() } },
        "StatefulSet" => new() { ["spec"] = new JsonObject { ["serviceName"] = "s", ["selector"] = Selector(), ["template"] = Template() } },
        "Job" => new() { ["spec"] = new JsonObject { ["template"] = Template("Never") } },
        "CronJob" => new()
        {
            ["spec"] = new JsonObject
            {
                ["schedule"] = "*/5 * * * *",
                ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = Template("Never") } },
            },
        },
        "ConfigMap" => new() { ["data"] = new JsonObject { ["k"] = "v" } },
        "Secret" => new() { ["stringData"] = new JsonObject { ["k"] = "v" } },
        "EndpointSlice" => new() { ["addressType"] = "IPv4", ["endpoints"] = new JsonArray() },
        "ControllerRevision" => new() { ["revision"] = 1, ["data"] = new JsonObject { ["spec"] = new JsonObject() } },
        "PodDisruptionBudget" => new() { ["spec"] = new JsonObject { ["minAvailable"] = 1, ["selector"] = Selector() } },
        "Event" => new()
        {
            ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = "p", ["namespace"] = "default" },
            ["reason"] = "R", ["message"] = "m", ["type"] = "Normal",
        },
        "IngressClass" => new() { ["spec"] = new JsonObject { ["controller"] = "example.com/ingress" } },
        "Ingress" => new()
        {
            ["spec"] = new JsonObject
            {
                ["defaultBackend"] = new JsonObject { ["service"] = new JsonObject { ["name"] = "s", ["port"] = new JsonObject { ["number"] = 80 } } },
            },
        },
        "HorizontalPodAutoscaler" => new()
        {
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "d" },
                ["maxReplicas"] = 3,
                ["metrics"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Resource",
                    ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = 50 } },
                }),
            },
        },
        _ => [],
    };

    private static JsonObject HorizontalPodAutoscalerV1() => new()
    {
        ["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "d" },
            ["maxReplicas"] = 3,
            ["targetCPUUtilizationPercentage"] = 50,
        },
    };
}
