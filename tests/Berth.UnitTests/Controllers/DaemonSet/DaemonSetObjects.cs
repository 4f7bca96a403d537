using System.Text.Json.Nodes;

namespace Berth.UnitTests.Controllers.DaemonSet;

/// <summary>DaemonSet manifests for the controller tests.</summary>
internal static class DaemonSetObjects
{
    /// <summary>A DaemonSet of app=<paramref name="name"/>; <paramref name="strategy"/> replaces the default RollingUpdate (maxUnavailable 1).</summary>
    public static JsonObject NewDaemonSet(string name, string image = "busybox:1.36", JsonObject? strategy = null, JsonObject? nodeSelector = null,
        JsonArray? tolerations = null)
    {
        var podSpec = new JsonObject
        {
            ["terminationGracePeriodSeconds"] = 2,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = image }),
        };
        if (nodeSelector is not null)
        {
            podSpec["nodeSelector"] = nodeSelector;
        }
        if (tolerations is not null)
        {
            podSpec["tolerations"] = tolerations;
        }
        var spec = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = name } },
                ["spec"] = podSpec,
            },
        };
        if (strategy is not null)
        {
            spec["updateStrategy"] = strategy;
        }
        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "DaemonSet",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = DaemonSetTestHost.Ns },
            ["spec"] = spec,
        };
    }

    public static JsonObject RollingUpdate(object maxSurge, object maxUnavailable) => new()
    {
        ["type"] = "RollingUpdate",
        ["rollingUpdate"] = new JsonObject { ["maxSurge"] = JsonValue.Create(maxSurge), ["maxUnavailable"] = JsonValue.Create(maxUnavailable) },
    };

    public static JsonObject OnDelete() => new() { ["type"] = "OnDelete" };

    public static JsonObject Taint(string key, string value, string effect) => new() { ["key"] = key, ["value"] = value, ["effect"] = effect };

    public static void SetImage(JsonObject ds, string image) => ds["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
}
