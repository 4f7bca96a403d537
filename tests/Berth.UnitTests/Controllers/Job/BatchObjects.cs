using System.Text.Json.Nodes;

namespace Berth.UnitTests.Controllers.Job;

/// <summary>Jobs and CronJobs for the batch controller tests; pods are bound to node-a so that deletes are graceful.</summary>
internal static class BatchObjects
{
    public static JsonObject JobSpec(int? completions = 1, int parallelism = 1, int backoffLimit = 6, string restartPolicy = "Never")
    {
        var spec = new JsonObject
        {
            ["parallelism"] = parallelism,
            ["backoffLimit"] = backoffLimit,
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["nodeName"] = "node-a",
                    ["restartPolicy"] = restartPolicy,
                    ["terminationGracePeriodSeconds"] = 2,
                    ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox:1.36" }),
                },
            },
        };
        if (completions is not null)
        {
            spec["completions"] = completions;
        }
        return spec;
    }

    public static JsonObject NewJob(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "batch/v1",
        ["kind"] = "Job",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = BatchTestHost.Ns },
        ["spec"] = spec,
    };

    public static JsonObject NewCronJob(string name, string schedule, string concurrencyPolicy = "Allow", JsonObject? extra = null)
    {
        var spec = new JsonObject
        {
            ["schedule"] = schedule,
            ["concurrencyPolicy"] = concurrencyPolicy,
            ["jobTemplate"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "batch" } },
                ["spec"] = JobSpec(),
            },
        };
        foreach (var (key, value) in extra ?? [])
        {
            spec[key] = value?.DeepClone();
        }
        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = BatchTestHost.Ns },
            ["spec"] = spec,
        };
    }
}
