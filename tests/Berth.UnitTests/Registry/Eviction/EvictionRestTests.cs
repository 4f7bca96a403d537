using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Registry.Generic;

namespace Berth.UnitTests.Registry.Eviction;

/// <summary>The eviction subresource against the real registry: budget checks, the 429 answer, decrement and delete.</summary>
public sealed class EvictionRestTests : IAsyncDisposable
{
    private EvictionTestHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static JsonObject? Condition(JsonObject obj, string type) =>
        obj.GetArray("status", "conditions")?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);

    [Fact]
    public async Task Evict_BudgetAllowsOne_DecrementsRecordsPodAndDeletesGracefully()
    {
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 1);

        var result = await _host.EvictAsync("web-1");

        Assert.Equal(201, result.Object.GetLong("code"));
        Assert.Equal("Success", result.Object.GetString("status"));
        var pdb = await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web");
        Assert.Equal(0, pdb.GetLong("status", "disruptionsAllowed"));
        Assert.Equal("2026-11-28T05:00:00Z", pdb.GetString("status", "disruptedPods", "web-1"));
        var allowedCondition = Condition(pdb, "DisruptionAllowed")!;
        Assert.Equal(("False", "InsufficientPods"), (allowedCondition.GetString("status"), allowedCondition.GetString("reason")));
        var pod = await _host.GetAsync(KindRegistry.Pods, "web-1");
        Assert.NotNull(pod.GetString("metadata", "deletionTimestamp"));
        Assert.Equal(3, pod.GetLong("metadata", "deletionGracePeriodSeconds"));
        var target = Condition(pod, "DisruptionTarget")!;
        Assert.Equal(("True", "EvictionByEvictionAPI", "Eviction API: evicting"),
            (target.GetString("status"), target.GetString("reason"), target.GetString("message")));
    }

    [Fact]
    public async Task Evict_NoDisruptionsAllowed_Returns429WithDisruptionBudgetCause()
    {
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 0, current: 1, desired: 1);

        var e = await Assert.ThrowsAsync<ApiException>(() => _host.EvictAsync("web-1"));

        Assert.Equal((429, StatusReason.TooManyRequests), (e.Code, e.Reason));
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", e.Message);
        var cause = Assert.Single(e.Details!.Causes);
        Assert.Equal(("DisruptionBudget", "The disruption budget web needs 1 healthy pods and has 1 currently"), (cause.Reason, cause.Message));
        Assert.Null(e.Details.RetryAfterSeconds);
        Assert.Null(e.Headers);
        Assert.Null((await _host.GetAsync(KindRegistry.Pods, "web-1")).GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Evict_BudgetGenerationNotObserved_Returns429StillBeingProcessed()
    {
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 1, observedGeneration: 0);

        var e = await Assert.ThrowsAsync<ApiException>(() => _host.EvictAsync("web-1"));

        Assert.Equal(429, e.Code);
        Assert.Equal("The disruption budget web is still being processed by the server.", Assert.Single(e.Details!.Causes).Message);
    }

    [Theory]
    [InlineData("Pending", false)]
    [InlineData("Succeeded", true)]
    [InlineData("Failed", true)]
    public async Task Evict_PodNotRunning_DeletedWithoutConsultingBudget(string phase, bool finished)
    {
        await _host.CreatePodAsync("web-1", phase, ready: false);
        await _host.CreateBudgetAsync("web", allowed: 0, current: 0, desired: 1);

        await _host.EvictAsync("web-1");

        var pods = (await _host.Api.ListAsync(KindRegistry.Pods, EvictionTestHost.Ns)).Items;
        if (finished)
        {
            Assert.Empty(pods);
        }
        else
        {
            Assert.NotNull(Assert.Single(pods).GetString("metadata", "deletionTimestamp"));
        }
        Assert.Null((await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web")).GetObject("status", "disruptedPods"));
    }

    [Fact]
    public async Task Evict_TerminatingPod_DeletedAgainWithShorterGraceDespiteBudget()
    {
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 0, current: 1, desired: 1);
        await _host.Api.DeleteAsync(KindRegistry.Pods, EvictionTestHost.Ns, "web-1");

        await _host.EvictAsync("web-1", new JsonObject { ["gracePeriodSeconds"] = 1 });

        Assert.Equal(1, (await _host.GetAsync(KindRegistry.Pods, "web-1")).GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Fact]
    public async Task Evict_UnreadyPodBudgetHealthy_DeletedWithoutSpendingADisruption()
    {
        await _host.CreatePodAsync("web-1", ready: false);
        await _host.CreateBudgetAsync("web", allowed: 0, current: 1, desired: 1);

        await _host.EvictAsync("web-1");

        Assert.NotNull((await _host.GetAsync(KindRegistry.Pods, "web-1")).GetString("metadata", "deletionTimestamp"));
        Assert.Equal(0, (await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web")).GetLong("status", "disruptionsAllowed"));
    }

    [Fact]
    public async Task Evict_UnreadyPodBudgetUnhealthy_Returns429UnlessAlwaysAllow()
    {
        await _host.CreatePodAsync("web-1", ready: false);
        await _host.CreatePodAsync("web-2", ready: false);
        await _host.CreateBudgetAsync("web", allowed: 0, current: 0, desired: 1);
        await _host.CreateBudgetAsync("other", allowed: 0, current: 0, desired: 1, app: "other",
            spec: new JsonObject { ["minAvailable"] = 1, ["unhealthyPodEvictionPolicy"] = "AlwaysAllow" });

        var e = await Assert.ThrowsAsync<ApiException>(() => _host.EvictAsync("web-1"));
        Assert.Equal(429, e.Code);

        var pdb = await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web");
        pdb.SetPath("AlwaysAllow", "spec", "unhealthyPodEvictionPolicy");
        pdb = await _host.Api.UpdateAsync(KindRegistry.PodDisruptionBudgets, EvictionTestHost.Ns, pdb);
        pdb.SetPath(pdb.GetLong("metadata", "generation"), "status", "observedGeneration");
        await _host.Api.UpdateAsync(KindRegistry.PodDisruptionBudgets, EvictionTestHost.Ns, pdb, "status");
        await _host.EvictAsync("web-2");
        Assert.NotNull((await _host.GetAsync(KindRegistry.Pods, "web-2")).GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Evict_TwoBudgets_Returns403WithUpstreamMessageNever500()
    {
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 1);
        await _host.CreateBudgetAsync("web-too", allowed: 1);

        var e = await Assert.ThrowsAsync<ApiException>(() => _host.EvictAsync("web-1"));

        Assert.Equal(403, e.Code);
        Assert.Equal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", e.Message);
    }

    [Fact]
    public async Task Evict_NoMatchingBudget_PlainGracefulDelete()
    {
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("db", allowed: 0, app: "db");

        await _host.EvictAsync("web-1", new JsonObject { ["gracePeriodSeconds"] = 7 });

        Assert.Equal(7, (await _host.GetAsync(KindRegistry.Pods, "web-1")).GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Fact]
    public async Task Evict_DryRun_ChecksButWritesNothing()
    {
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 1);

        var result = await _host.EvictAsync("web-1", dryRun: true);

        Assert.Equal(201, result.Object.GetLong("code"));
        var pod = await _host.GetAsync(KindRegistry.Pods, "web-1");
        Assert.Null(pod.GetString("metadata", "deletionTimestamp"));
        Assert.Null(Condition(pod, "DisruptionTarget"));
        Assert.Equal(1, (await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web")).GetLong("status", "disruptionsAllowed"));
    }

    [Fact]
    public async Task Evict_NameMismatch_Returns400()
    {
        await _host.CreatePodAsync("web-1");

        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.CreateSubresourceAsync(KindRegistry.Pods, EvictionTestHost.Ns, "web-1",
            "eviction", EvictionTestHost.Eviction("web-2")));

        Assert.Equal((400, "name in URL does not match name in Eviction object"), (e.Code, e.Message));
    }

    [Fact]
    public async Task Evict_StaleResourceVersionPrecondition_Returns409WithoutRetry()
    {
        var pod = await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 1);
        var stale = (long.Parse(pod.GetResourceVersion()!, System.Globalization.CultureInfo.InvariantCulture) - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var e = await Assert.ThrowsAsync<ApiException>(() => _host.EvictAsync("web-1",
            new JsonObject { ["preconditions"] = new JsonObject { ["resourceVersion"] = stale } }));

        Assert.Equal(409, e.Code);
        Assert.Null((await _host.GetAsync(KindRegistry.Pods, "web-1")).GetString("metadata", "deletionTimestamp"));
    }

    [Fact]
    public async Task Evict_BudgetWrittenConcurrently_RetriesOnConflictAndDecrementsOnce()
    {
        ConflictOnceStore? conflicts = null;
        await _host.DisposeAsync();
        _host = new EvictionTestHost(store => conflicts = new ConflictOnceStore(store));
        await _host.CreatePodAsync("web-1");
        await _host.CreateBudgetAsync("web", allowed: 2, current: 3, desired: 1);
        conflicts!.Key = KindRegistry.PodDisruptionBudgets.Key(EvictionTestHost.Ns, "web");

        await _host.EvictAsync("web-1");

        Assert.Equal(1, conflicts.Conflicts);
        var pdb = await _host.GetAsync(KindRegistry.PodDisruptionBudgets, "web");
        Assert.Equal(1, pdb.GetLong("status", "disruptionsAllowed"));
        Assert.Equal("writer", pdb.GetString("metadata", "annotations", "concurrent"));
    }
}
