using System.Text.Json.Nodes;

namespace Berth.UnitTests.Controllers.EndpointSlice;

/// <summary>Services and pods (with status) in plain JSON for the endpoint controllers' tests.</summary>
internal static class EndpointTestObjects
{
    public static JsonObject Service(string name = "web", bool publishNotReady = false, string? clusterIP = null, JsonArray? ports = null,
        bool selector = true)
    {
        var spec = new JsonObject
        {
            ["ports"] = ports ?? new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["targetPort"] = 8080, ["protocol"] = "TCP" }),
        };
        if (selector)
        {
            spec["selector"] = new JsonObject { ["app"] = name };
        }
        if (publishNotReady)
        {
            spec["publishNotReadyAddresses"] = true;
        }
        if (clusterIP is not null)
        {
            spec["clusterIP"] = clusterIP;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = "svc-uid-" + name },
            ["spec"] = spec,
        };
    }

    /// <summary>A pod labelled app=<paramref name="app"/> with container port "http" = <paramref name="httpPort"/>.</summary>
    public static JsonObject Pod(string name, string? ip, bool ready = true, bool terminating = false, string phase = "Running",
        string app = "web", long? httpPort = 8080)
    {
        var container = new JsonObject { ["name"] = "c", ["image"] = "busybox" };
        if (httpPort is not null)
        {
            container["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = httpPort.Value, ["protocol"] = "TCP" });
        }
        var meta = new JsonObject
        {
            ["name"] = name, ["namespace"] = "default", ["uid"] = "uid-" + name, ["labels"] = new JsonObject { ["app"] = app },
        };
        if (terminating)
        {
            meta["deletionTimestamp"] = "2026-11-28T02:00:00Z";
        }
        var status = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        };
        if (ip is not null)
        {
            status["podIP"] = ip;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta,
            ["spec"] = new JsonObject { ["nodeName"] = "node1", ["containers"] = new JsonArray(container) },
            ["status"] = status,
        };
    }
}
