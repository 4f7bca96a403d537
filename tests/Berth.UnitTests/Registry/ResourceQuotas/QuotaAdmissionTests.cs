using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry.Core.ResourceQuotas;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.ResourceQuotas;

/// <summary>ResourceQuota usage, admission messages, charging through the registry, and validation.</summary>
public sealed class QuotaAdmissionTests
{
    private static JsonObject Quota(string hard, string? used = null) =>
        Parse("""{"metadata":{"name":"q","namespace":"default"},"spec":{"hard":""" + hard + "}" + (used is null ? "" : ""","status":{"used":""" + used + "}") + "}");

    private static JsonObject Pod(string name, string resources) =>
        Parse("""{"metadata":{"name":""" + "\"" + name + "\"" + """},"spec":{"containers":[{"name":"app","image":"i","resources":""" + resources + "}]}}");

    [Fact]
    public void Usage_PodComputeAndCounts()
    {
        var pod = Parse("""
            {"spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":"250m","memory":"64Mi"},"limits":{"memory":"128Mi"}}},
                                   {"name":"b","resources":{"requests":{"cpu":"250m"}}}],
                     "initContainers":[{"name":"i","resources":{"requests":{"cpu":"1"}}}]}}
            """);

        var usage = QuotaUsage.Of(KindRegistry.Pods, pod);

        Assert.Equal(1m, usage["pods"]);
        Assert.Equal(1m, usage["count/pods"]);
        Assert.Equal(1m, usage["requests.cpu"]);
        Assert.Equal(1m, usage["cpu"]);
        Assert.Equal(64m * 1024 * 1024, usage["requests.memory"]);
        Assert.Equal(128m * 1024 * 1024, usage["limits.memory"]);
        Assert.Empty(QuotaUsage.Of(KindRegistry.Pods, Parse("""{"status":{"phase":"Succeeded"}}""")));
        Assert.Equal(1m, QuotaUsage.Of(KindRegistry.Deployments, Parse("{}"))["count/deployments.apps"]);
        Assert.Equal(2m, QuotaUsage.Of(KindRegistry.Services, Parse("""{"spec":{"type":"NodePort","ports":[{},{}]}}"""))["services.nodeports"]);
    }

    [Theory]
    [InlineData("""{"pods":"2"}""", """{"pods":"2"}""", "{}", "pods \"p\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2")]
    [InlineData("""{"requests.cpu":"1","pods":"5"}""", """{"requests.cpu":"600m","pods":"1"}""", """{"requests":{"cpu":"600m"}}""", "pods \"p\" is forbidden: exceeded quota: q, requested: requests.cpu=600m, used: requests.cpu=600m, limited: requests.cpu=1")]
    [InlineData("""{"limits.memory":"1Gi","requests.cpu":"1"}""", """{"limits.memory":"0","requests.cpu":"0"}""", "{}", "pods \"p\" is forbidden: failed quota: q: must specify limits.memory for: app; requests.cpu for: app")]
    [InlineData("""{"pods":"2"}""", null, "{}", "pods \"p\" is forbidden: status unknown for quota: q, resources: pods")]
    public void Check_RefusesWithUpstreamMessage(string hard, string? used, string resources, string expected)
    {
        var e = Assert.Throws<ApiException>(() => QuotaAdmission.Check(KindRegistry.Pods, Pod("p", resources), [Quota(hard, used)]));

        Assert.Equal((403, expected), (e.Code, e.Message));
    }

    [Fact]
    public void Check_ChargesOnlyConstrainedResources_AndIgnoresScopedQuotas()
    {
        var charged = QuotaAdmission.Check(KindRegistry.Pods, Pod("p", """{"requests":{"memory":"512Mi"}}"""),
            [Quota("""{"pods":"3","requests.memory":"1Gi","configmaps":"1"}""", """{"pods":"1","requests.memory":"256Mi","configmaps":"1"}""")]);
        var scoped = Quota("""{"pods":"0"}""", """{"pods":"0"}""");
        scoped["spec"]!["scopes"] = new JsonArray("BestEffort");

        Assert.Equal("""{"pods":"2","requests.memory":"768Mi","configmaps":"1"}""", Assert.Single(charged)["status"]!["used"]!.ToJsonString());
        Assert.Empty(QuotaAdmission.Check(KindRegistry.Pods, Pod("p", "{}"), [scoped]));
    }

    [Fact]
    public async Task Registry_ChargesTheQuotaBeforeTheObject_AndRefusesTheNextOne()
    {
        var api = new ApiRegistry(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        await api.CreateAsync(KindRegistry.Namespaces, null, Parse("""{"metadata":{"name":"default"}}"""));
        var quota = await api.CreateAsync(KindRegistry.ResourceQuotas, "default", Quota("""{"count/configmaps":"1"}"""));
        quota["status"] = Parse("""{"hard":{"count/configmaps":"1"},"used":{"count/configmaps":"0"}}""");
        await api.UpdateAsync(KindRegistry.ResourceQuotas, "default", quota, "status");

        await api.CreateAsync(KindRegistry.ConfigMaps, "default", Parse("""{"metadata":{"name":"a"}}"""));
        var e = await Assert.ThrowsAsync<ApiException>(() => api.CreateAsync(KindRegistry.ConfigMaps, "default", Parse("""{"metadata":{"name":"b"}}""")));

        Assert.Equal("configmaps \"b\" is forbidden: exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1", e.Message);
        Assert.Equal("1", (string?)(await api.GetAsync(KindRegistry.ResourceQuotas, "default", "q"))["status"]!["used"]!["count/configmaps"]);
    }

    [Theory]
    [InlineData("""{"hard":{"pods":"-1"}}""", "spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0")]
    [InlineData("""{"hard":{"cpu":"lots"}}""", "spec.hard[cpu]: Invalid value: \"lots\": quantities must match the regular expression")]
    [InlineData("""{"hard":{"pods":"1"},"scopes":["Sometimes"]}""", "spec.scopes[0]: Unsupported value: \"Sometimes\"")]
    public void Strategy_RejectsInvalidQuotas(string spec, string expected) =>
        Assert.Contains(Create(new ResourceQuotaStrategy(), Parse("""{"metadata":{"name":"q","namespace":"default"},"spec":""" + spec + "}")),
            e => e.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Strategy_CreateStartsWithAnEmptyStatus()
    {
        var quota = Quota("""{"pods":"1"}""", """{"pods":"9"}""");

        Assert.Empty(Create(new ResourceQuotaStrategy(), quota));

        Assert.Equal("{}", quota["status"]!.ToJsonString());
    }
}
