using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Registry.Scheduling;

/// <summary>
/// The Priority admission on pod create and the PriorityClass rules enforced around the store (one globalDefault,
/// built-in classes not deletable), through the real registry. Mirrors plugin/pkg/admission/priority tests.
/// </summary>
public sealed class PriorityAdmissionTests
{
    private readonly ApiRegistry _api = new(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero)));

    [Fact]
    public async Task PodWithoutClass_NoDefault_GetsZeroAndPreemptLowerPriority()
    {
        var pod = await CreatePodAsync("p", null);

        Assert.Equal(0L, (long?)pod["spec"]!["priority"]);
        Assert.Equal("PreemptLowerPriority", (string?)pod["spec"]!["preemptionPolicy"]);
        Assert.Null(pod["spec"]!["priorityClassName"]);
    }

    [Fact]
    public async Task PodWithClass_ResolvesValueAndPolicy()
    {
        await CreateClassAsync("batch", 100, preemptionPolicy: "Never");

        var pod = await CreatePodAsync("p", "batch");

        Assert.Equal(100L, (long?)pod["spec"]!["priority"]);
        Assert.Equal("Never", (string?)pod["spec"]!["preemptionPolicy"]);
    }

    [Fact]
    public async Task PodWithUnknownClass_Is403WithUpstreamMessage()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => CreatePodAsync("p", "nope"));

        Assert.Equal(403, e.Code);
        Assert.Equal("pods \"p\" is forbidden: no PriorityClass with name nope was found", e.Message);
    }

    [Fact]
    public async Task PodWithGenerateName_IsNamedByItInTheError()
    {
        var pod = Pod(null, "nope");
        pod["metadata"] = new JsonObject { ["generateName"] = "web-" };

        var e = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(KindRegistry.Pods, "default", pod));

        Assert.StartsWith("pods \"web-\" is forbidden: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodSettingADifferentPriority_Is403()
    {
        await CreateClassAsync("high", 1000);
        var pod = Pod("p", "high");
        pod["spec"]!["priority"] = 5;

        var e = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(KindRegistry.Pods, "default", pod));

        Assert.Equal(403, e.Code);
        Assert.Equal("pods \"p\" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name", e.Message);
    }

    [Fact]
    public async Task PodSettingTheComputedPriority_IsAdmitted()
    {
        await CreateClassAsync("high", 1000);
        await EnsureNamespaceAsync();
        var pod = Pod("p", "high");
        pod["spec"]!["priority"] = 1000;

        Assert.Equal(1000L, (long?)(await _api.CreateAsync(KindRegistry.Pods, "default", pod))["spec"]!["priority"]);
    }

    [Fact]
    public async Task PodSettingADifferentPreemptionPolicy_Is403()
    {
        await CreateClassAsync("high", 1000);
        var pod = Pod("p", "high");
        pod["spec"]!["preemptionPolicy"] = "Never";

        var e = await Assert.ThrowsAsync<ApiException>(() => _api.CreateAsync(KindRegistry.Pods, "default", pod));

        Assert.Equal("pods \"p\" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name", e.Message);
    }

    [Fact]
    public async Task PodWithoutClass_GetsTheGlobalDefault()
    {
        await CreateClassAsync("fallback", 7, globalDefault: true);

        var pod = await CreatePodAsync("p", null);

        Assert.Equal("fallback", (string?)pod["spec"]!["priorityClassName"]);
        Assert.Equal(7L, (long?)pod["spec"]!["priority"]);
    }

    [Fact]
    public async Task SecondGlobalDefault_Is403_OnCreateAndUpdate()
    {
        await CreateClassAsync("first", 1, globalDefault: true);
        await CreateClassAsync("other", 2);

        var create = await Assert.ThrowsAsync<ApiException>(() => CreateClassAsync("second", 2, globalDefault: true));
        var patch = await Assert.ThrowsAsync<ApiException>(() => _api.PatchAsync(KindRegistry.PriorityClasses, null, "other", PatchType.Merge,
            JsonNode.Parse("""{"globalDefault":true}""")!));

        Assert.Equal(403, create.Code);
        Assert.Equal("priorityclasses.scheduling.k8s.io \"second\" is forbidden: PriorityClass first is already marked as default. Only one default can exist", create.Message);
        Assert.Equal("priorityclasses.scheduling.k8s.io \"other\" is forbidden: PriorityClass first is already marked as default. Only one default can exist", patch.Message);
    }

    [Fact]
    public async Task GlobalDefault_MovesAfterTheOldOneIsUnsetOrDeleted()
    {
        await CreateClassAsync("first", 1, globalDefault: true);
        await _api.PatchAsync(KindRegistry.PriorityClasses, null, "first", PatchType.Merge, JsonNode.Parse("""{"globalDefault":false}""")!);
        await CreateClassAsync("second", 2, globalDefault: true);
        Assert.Equal("second", (string?)(await CreatePodAsync("a", null))["spec"]!["priorityClassName"]);

        await _api.DeleteAsync(KindRegistry.PriorityClasses, null, "second");
        await CreateClassAsync("third", 3, globalDefault: true);

        Assert.Equal(3L, (long?)(await CreatePodAsync("b", null))["spec"]!["priority"]);
    }

    [Fact]
    public async Task DryRunGlobalDefault_ClaimsNothing()
    {
        await _api.CreateAsync(KindRegistry.PriorityClasses, null, Class("dry", 1, globalDefault: true), new WriteOptions(DryRun: true));

        await CreateClassAsync("real", 2, globalDefault: true);
    }

    [Fact]
    public async Task BuiltInClass_CannotBeDeleted()
    {
        await _api.CreateAsync(KindRegistry.PriorityClasses, null, Class("system-node-critical", 2_000_001_000));

        var e = await Assert.ThrowsAsync<ApiException>(() => _api.DeleteAsync(KindRegistry.PriorityClasses, null, "system-node-critical"));

        Assert.Equal(403, e.Code);
        Assert.Equal("priorityclasses.scheduling.k8s.io \"system-node-critical\" is forbidden: this is a system priority class and cannot be deleted", e.Message);
    }

    [Fact]
    public async Task PodUpdate_WithoutPriority_KeepsTheResolvedOne()
    {
        await CreateClassAsync("high", 1000);
        var stored = await CreatePodAsync("p", "high");
        var put = stored.DeepClone().AsObject();
        put["spec"]!.AsObject().Remove("priority");
        put["spec"]!.AsObject().Remove("preemptionPolicy");

        var updated = await _api.UpdateAsync(KindRegistry.Pods, "default", put);

        Assert.Equal(1000L, (long?)updated["spec"]!["priority"]);
    }

    private async Task<JsonObject> CreatePodAsync(string name, string? className)
    {
        await EnsureNamespaceAsync();
        return await _api.CreateAsync(KindRegistry.Pods, "default", Pod(name, className));
    }

    private async Task EnsureNamespaceAsync()
    {
        try
        {
            await _api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        }
        catch (ApiException e) when (e.Code == 409)
        {
        }
    }

    private Task<JsonObject> CreateClassAsync(string name, long value, bool globalDefault = false, string? preemptionPolicy = null)
    {
        var pc = Class(name, value, globalDefault);
        if (preemptionPolicy is not null)
        {
            pc["preemptionPolicy"] = preemptionPolicy;
        }
        return _api.CreateAsync(KindRegistry.PriorityClasses, null, pc);
    }

    private static JsonObject Class(string name, long value, bool globalDefault = false)
    {
        var pc = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["value"] = value };
        if (globalDefault)
        {
            pc["globalDefault"] = true;
        }
        return pc;
    }

    private static JsonObject Pod(string? name, string? className)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) };
        if (className is not null)
        {
            spec["priorityClassName"] = className;
        }
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }
}
