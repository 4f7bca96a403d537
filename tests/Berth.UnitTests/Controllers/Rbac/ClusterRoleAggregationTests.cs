using System.Text.Json.Nodes;
using Berth.Controllers.Rbac;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Rbac;

namespace Berth.UnitTests.Controllers.Rbac;

public sealed class ClusterRoleAggregationTests : IAsyncLifetime
{
    private readonly RbacTestHost _host = new();

    public async Task InitializeAsync()
    {
        await _host.Bootstrap.RunAsync(CancellationToken.None);
        _host.Run();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void AggregatedRules_SelectorsInOrderRolesByName_EachRuleOnce()
    {
        var aggregated = Role("agg", """{"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"a":"1"}},{"matchLabels":{"b":"1"}}]},"rules":[{"verbs":["*"],"nonResourceURLs":["*"]}]}""");
        var roles = new[]
        {
            aggregated,
            Role("z", """{"metadata":{"labels":{"a":"1"}},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"""),
            Role("m", """{"metadata":{"labels":{"a":"1","b":"1"}},"rules":[{"apiGroups":[""],"resources":["services"],"verbs":["get"]},{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}"""),
            Role("n", """{"metadata":{"labels":{"b":"1"}},"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["list"]}]}"""),
            Role("other", """{"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["get"]}]}"""),
        };

        var rules = ClusterRoleAggregationController.AggregatedRules(aggregated, roles);

        Assert.Equal(["services", "pods", "deployments"], rules.Select(r => r.Resources[0]));
    }

    [Fact]
    public async Task LabelledRole_AggregatesIntoViewEditAdmin_AndLeavesWhenUnlabelled()
    {
        var extra = Role("widgets-view", """{"metadata":{"labels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}},"rules":[{"apiGroups":["example.com"],"resources":["widgets"],"verbs":["get"]}]}""");
        await _host.Api.CreateAsync(KindRegistry.ClusterRoles, null, extra);

        foreach (var name in (string[])["view", "edit", "admin"])
        {
            await _host.WaitUntilAsync(async () => HasWidgets(await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, name)), because: name + " aggregates widgets");
        }
        var stored = await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "widgets-view");
        stored["metadata"]!.AsObject().Remove("labels");
        await _host.Api.UpdateAsync(KindRegistry.ClusterRoles, null, stored);

        await _host.WaitUntilAsync(async () => !HasWidgets(await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "view")), because: "view drops widgets");
        var view = await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "view");
        Assert.Contains(view["rules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(x => (string?)x == "pods"));
        Assert.DoesNotContain(view["rules"]!.AsArray(), r => r!["resources"]!.AsArray().Any(x => (string?)x == "secrets"));
    }

    [Fact]
    public async Task PolicyController_PublishesBindingsAsTheyChange()
    {
        var sa = AuthorizationAttributes.ForResource("system:serviceaccount:default:x", ["system:serviceaccounts", "system:authenticated"], "list", "", "pods", "default");
        await _host.Policy.WhenSyncedAsync(CancellationToken.None).DefaultTimeout();
        Assert.False(_host.Policy.Current.Authorize(sa).Allowed);

        await _host.Api.CreateAsync(KindRegistry.RoleBindings, "default", JsonNode.Parse("""
            {"metadata":{"name":"v","namespace":"default"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"ServiceAccount","name":"x"}]}
            """)!.AsObject());

        await _host.WaitUntilAsync(() => _host.Policy.Current.Authorize(sa).Allowed, because: "the binding reaches the snapshot");
        Assert.Equal("RBAC: allowed by RoleBinding \"v/default\" of ClusterRole \"view\" to ServiceAccount \"x/default\"", _host.Policy.Current.Authorize(sa).Reason);
        Assert.False(_host.Policy.Current.Authorize(sa with { Namespace = "kube-system" }).Allowed);
    }

    private static bool HasWidgets(JsonObject role) =>
        (role["rules"] as JsonArray ?? []).Any(r => r!["resources"]!.AsArray().Any(x => (string?)x == "widgets"));

    private static JsonObject Role(string name, string json)
    {
        var role = JsonNode.Parse(json)!.AsObject();
        var metadata = role["metadata"] as JsonObject ?? [];
        metadata["name"] = name;
        role["metadata"] = metadata;
        return role;
    }
}
