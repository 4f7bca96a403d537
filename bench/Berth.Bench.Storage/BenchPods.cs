using System.Text.Json.Nodes;

namespace Berth.Bench.Storage;

/// <summary>A pod of realistic size (~1.7 KB of JSON: labels, annotations, owner, env, probe, status).</summary>
internal static class BenchPods
{
    public static string Key(int i) => $"/pods/bench/pod-{i:D5}";

    public static JsonObject Pod(int i, int generation = 0)
    {
        var name = $"pod-{i:D5}";
        var env = new JsonArray();
        for (var e = 0; e < 8; e++)
        {
            env.Add(new JsonObject { ["name"] = $"SETTING_{e}", ["value"] = $"value-{e}-{generation}" });
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = "bench",
                ["uid"] = Guid.NewGuid().ToString(),
                ["labels"] = new JsonObject { ["app"] = "web", ["tier"] = "frontend", ["pod-template-hash"] = "7d9f8c6b5" },
                ["annotations"] = new JsonObject { ["berth.dev/generation"] = generation.ToString(), ["note"] = new string('x', 200) },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "ReplicaSet", ["name"] = "web-7d9f8c6b5", ["uid"] = Guid.NewGuid().ToString(), ["controller"] = true }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "berth-node",
                ["terminationGracePeriodSeconds"] = 30,
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "web",
                    ["image"] = "/usr/bin/web-server",
                    ["args"] = new JsonArray("--port", "8080", "--verbose"),
                    ["env"] = env,
                    ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 8080, ["protocol"] = "TCP" }),
                    ["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 8080 }, ["periodSeconds"] = 10 },
                }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = $"127.0.{i / 250}.{i % 250}",
                ["startTime"] = "2025-01-01T00:00:00Z",
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = "2025-01-01T00:00:01Z" },
                    new JsonObject { ["type"] = "ContainersReady", ["status"] = "True", ["lastTransitionTime"] = "2025-01-01T00:00:01Z" }),
            },
        };
    }
}
