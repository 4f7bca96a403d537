using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods.Eviction;

namespace Berth.UnitTests.Registry.Eviction;

public sealed class EvictionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    private static JsonObject Budget(long allowed, int disrupted = 0)
    {
        var pdb = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web", ["generation"] = 2 },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = 2, ["disruptionsAllowed"] = allowed, ["currentHealthy"] = 3, ["desiredHealthy"] = 1,
            },
        };
        if (disrupted > 0)
        {
            pdb.SetPath(new JsonObject(Enumerable.Range(0, disrupted).Select(i =>
                KeyValuePair.Create($"p{i}", (JsonNode?)JsonValue.Create("2026-11-28T05:00:00Z")))), "status", "disruptedPods");
        }
        return pdb;
    }

    private static JsonObject Pod(string? phase, bool terminating = false)
    {
        var pod = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "p" }, ["status"] = new JsonObject { ["phase"] = phase } };
        if (terminating)
        {
            pod.SetPath("2026-11-28T05:00:00Z", "metadata", "deletionTimestamp");
        }
        return pod;
    }

    [Theory]
    [InlineData("Pending", false, true, true)]
    [InlineData("Succeeded", false, true, false)]
    [InlineData("Failed", false, true, false)]
    [InlineData("Running", true, true, false)]
    [InlineData("Running", false, false, true)]
    [InlineData(null, false, false, true)]
    public void CanIgnorePdb_ByPhaseAndDeletion_MatchesUpstream(string? phase, bool terminating, bool ignore, bool enforceRv)
    {
        var pod = Pod(phase, terminating);
        Assert.Equal((ignore, enforceRv), (EvictionRules.CanIgnorePdb(pod), EvictionRules.ShouldEnforceResourceVersion(pod)));
    }

    [Fact]
    public void CheckAndDecrement_LastDisruption_FlipsConditionToInsufficientPods()
    {
        var pdb = Budget(1);

        EvictionRules.CheckAndDecrement(pdb, "p", Now, dryRun: false);

        Assert.Equal(0, pdb.GetLong("status", "disruptionsAllowed"));
        var condition = pdb.GetArray("status", "conditions")!.OfType<JsonObject>().Single();
        Assert.Equal(("DisruptionAllowed", "False", "InsufficientPods", 2L),
            (condition.GetString("type"), condition.GetString("status"), condition.GetString("reason"), condition.GetLong("observedGeneration")));
        Assert.Equal("2026-11-28T05:00:00Z", pdb.GetString("status", "disruptedPods", "p"));
    }

    [Fact]
    public void CheckAndDecrement_DryRun_DoesNotRecordThePod()
    {
        var pdb = Budget(2);

        EvictionRules.CheckAndDecrement(pdb, "p", Now, dryRun: true);

        Assert.Equal(1, pdb.GetLong("status", "disruptionsAllowed"));
        Assert.Null(pdb.GetObject("status", "disruptedPods"));
        Assert.Null(pdb.GetArray("status", "conditions"));
    }

    [Fact]
    public void CheckAndDecrement_NegativeCount_Returns403()
    {
        var e = Assert.Throws<ApiException>(() => EvictionRules.CheckAndDecrement(Budget(-1), "p", Now, false));

        Assert.Equal((403, "poddisruptionbudget.policy \"web\" is forbidden: pdb disruptions allowed is negative"), (e.Code, e.Message));
    }

    [Fact]
    public void CheckAndDecrement_TooManyUnconfirmedEvictions_Returns403()
    {
        var e = Assert.Throws<ApiException>(() => EvictionRules.CheckAndDecrement(Budget(5, EvictionRules.MaxDisruptedPodSize + 1), "p", Now, false));

        Assert.Equal(403, e.Code);
        Assert.EndsWith("DisruptedPods map too big - too many evictions not confirmed by PDB controller", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 1, 1, true)]
    [InlineData(null, 0, 1, false)]
    [InlineData(null, 0, 0, false)]
    [InlineData("IfHealthyBudget", 2, 1, true)]
    [InlineData("AlwaysAllow", 0, 1, true)]
    public void CanEvictUnhealthyWithoutDecrement_ByPolicy_MatchesUpstream(string? policy, int current, int desired, bool expected)
    {
        var pdb = new JsonObject
        {
            ["spec"] = new JsonObject(), ["status"] = new JsonObject { ["currentHealthy"] = current, ["desiredHealthy"] = desired },
        };
        if (policy is not null)
        {
            pdb.SetPath(policy, "spec", "unhealthyPodEvictionPolicy");
        }

        Assert.Equal(expected, EvictionRules.CanEvictUnhealthyWithoutDecrement(pdb));
    }

    [Fact]
    public void MatchingBudgets_EmptySelectorMatchesAllMissingNone()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","labels":{"app":"web"}}}""")!.AsObject();
        var budgets = new[]
        {
            JsonNode.Parse("""{"metadata":{"name":"all"},"spec":{"selector":{}}}""")!.AsObject(),
            JsonNode.Parse("""{"metadata":{"name":"none"},"spec":{}}""")!.AsObject(),
            JsonNode.Parse("""{"metadata":{"name":"web"},"spec":{"selector":{"matchLabels":{"app":"web"}}}}""")!.AsObject(),
            JsonNode.Parse("""{"metadata":{"name":"db"},"spec":{"selector":{"matchLabels":{"app":"db"}}}}""")!.AsObject(),
        };

        Assert.Equal(["all", "web"], EvictionRules.MatchingBudgets(budgets, pod).Select(b => b.GetName()));
    }
}
