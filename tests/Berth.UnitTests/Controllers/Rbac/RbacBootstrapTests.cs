using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Controllers.Rbac;

public sealed class RbacBootstrapTests : IAsyncLifetime
{
    private readonly RbacTestHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RunAsync_Twice_CreatesTheDefaultsOnceAndChangesNothingTheSecondTime()
    {
        await _host.Bootstrap.RunAsync(CancellationToken.None).DefaultTimeout();
        var first = await VersionsAsync();

        await _host.Bootstrap.RunAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal(first, await VersionsAsync());
        Assert.Contains("cluster-admin", first.Keys);
        Assert.Contains("clusterrolebinding/system:public-info-viewer", first.Keys);
        var admin = await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "admin");
        Assert.Equal("rbac-defaults", admin.GetString("metadata", "labels", "kubernetes.io/bootstrapping"));
        Assert.Equal("true", admin.GetString("metadata", "annotations", "rbac.authorization.kubernetes.io/autoupdate"));
        Assert.Equal("true", (string?)admin["aggregationRule"]!["clusterRoleSelectors"]![0]!["matchLabels"]!["rbac.authorization.k8s.io/aggregate-to-admin"]);
    }

    [Fact]
    public async Task RunAsync_AutoUpdateDefaultLostARuleAndSubject_RestoresThemAndKeepsAdditions()
    {
        await _host.Bootstrap.RunAsync(CancellationToken.None).DefaultTimeout();
        var role = await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "system:basic-user");
        role["rules"] = new JsonArray(new JsonObject { ["apiGroups"] = new JsonArray(""), ["resources"] = new JsonArray("pods"), ["verbs"] = new JsonArray("get") });
        await _host.Api.UpdateAsync(KindRegistry.ClusterRoles, null, role);
        var binding = await _host.Api.GetAsync(KindRegistry.ClusterRoleBindings, null, "system:public-info-viewer");
        binding["subjects"]!.AsArray().RemoveAt(1);
        await _host.Api.UpdateAsync(KindRegistry.ClusterRoleBindings, null, binding);

        await _host.Bootstrap.RunAsync(CancellationToken.None).DefaultTimeout();

        var rules = (await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "system:basic-user"))["rules"]!.AsArray();
        Assert.Equal(["pods", "selfsubjectaccessreviews", "selfsubjectreviews"],
            rules.Select(r => (string)r!["resources"]![0]!).Order(StringComparer.Ordinal));
        var subjects = (await _host.Api.GetAsync(KindRegistry.ClusterRoleBindings, null, "system:public-info-viewer"))["subjects"]!.AsArray();
        Assert.Equal(["system:authenticated", "system:unauthenticated"], subjects.Select(s => (string)s!["name"]!));
    }

    [Fact]
    public async Task RunAsync_AutoUpdateTurnedOff_LeavesTheEditedDefaultAlone()
    {
        await _host.Bootstrap.RunAsync(CancellationToken.None).DefaultTimeout();
        var role = await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "system:discovery");
        role["metadata"]!["annotations"]!["rbac.authorization.kubernetes.io/autoupdate"] = "false";
        role["rules"] = new JsonArray();
        var edited = await _host.Api.UpdateAsync(KindRegistry.ClusterRoles, null, role);

        await _host.Bootstrap.RunAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal(edited.GetResourceVersion(), (await _host.Api.GetAsync(KindRegistry.ClusterRoles, null, "system:discovery")).GetResourceVersion());
    }

    private async Task<Dictionary<string, string>> VersionsAsync()
    {
        var roles = (await _host.Api.ListAsync(KindRegistry.ClusterRoles, null)).Items;
        var bindings = (await _host.Api.ListAsync(KindRegistry.ClusterRoleBindings, null)).Items;
        return roles.Select(r => (Key: r.GetName()!, Rv: r.GetResourceVersion()!))
            .Concat(bindings.Select(b => (Key: "clusterrolebinding/" + b.GetName(), Rv: b.GetResourceVersion()!)))
            .ToDictionary(p => p.Key, p => p.Rv);
    }
}
