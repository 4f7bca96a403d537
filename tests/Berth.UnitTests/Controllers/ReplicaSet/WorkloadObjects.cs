using System.Text.Json.Nodes;

namespace Berth.UnitTests.Controllers.ReplicaSet;

/// <summary>Manifests for the workload controller tests.</summary>
internal static class WorkloadObjects
{
    /// <summary>A pod template labelled <c>app=<paramref name="app"/></c>, bound to node-a so that deletes are graceful.</summary>
    public static JsonObject Template(string app, string image = "busybox:1.36") => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = app } },
        ["spec"] = new JsonObject
        {
            ["nodeName"] = "node-a",
            ["terminationGracePeriodSeconds"] = 2,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = image }),
        },
    };

    public static JsonObject Selector(string app) => new() { ["matchLabels"] = new JsonObject { ["app"] = app } };

    public static JsonObject NewReplicaSet(string name, int replicas, string app, int minReadySeconds = 0) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "ReplicaSet",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = WorkloadTestHost.Ns },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas, ["minReadySeconds"] = minReadySeconds, ["selector"] = Selector(app), ["template"] = Template(app),
        },
    };

    public static JsonObject NewDeployment(string name, int replicas, string app, JsonObject? strategy = null, int? progressDeadline = null,
        int? historyLimit = null)
    {
        var spec = new JsonObject { ["replicas"] = replicas, ["selector"] = Selector(app), ["template"] = Template(app) };
        if (strategy is not null)
        {
            spec["strategy"] = strategy;
        }
        if (progressDeadline is not null)
        {
            spec["progressDeadlineSeconds"] = progressDeadline;
        }
        if (historyLimit is not null)
        {
            spec["revisionHistoryLimit"] = historyLimit;
        }
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = WorkloadTestHost.Ns },
            ["spec"] = spec,
        };
    }

    public static JsonObject RollingUpdate(object maxSurge, object maxUnavailable) => new()
    {
        ["type"] = "RollingUpdate",
        ["rollingUpdate"] = new JsonObject { ["maxSurge"] = JsonValue.Create(maxSurge), ["maxUnavailable"] = JsonValue.Create(maxUnavailable) },
    };

    /// <summary>A bare pod labelled <c>app=<paramref name="app"/></c>, optionally with owner references.</summary>
    public static JsonObject Pod(string name, string app, JsonArray? ownerReferences = null)
    {
        var meta = new JsonObject { ["name"] = name, ["namespace"] = WorkloadTestHost.Ns, ["labels"] = new JsonObject { ["app"] = app } };
        if (ownerReferences is not null)
        {
            meta["ownerReferences"] = ownerReferences;
        }
        return new JsonObject { ["metadata"] = meta, ["spec"] = Template(app)["spec"]!.DeepClone() };
    }
}
