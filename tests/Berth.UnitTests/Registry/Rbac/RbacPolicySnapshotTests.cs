using System.Text.Json.Nodes;
using Berth.Registry.Rbac;

namespace Berth.UnitTests.Registry.Rbac;

public sealed class RbacPolicySnapshotTests
{
    private static readonly string[] SaGroups = ["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"];
    private const string Sa = "system:serviceaccount:team:bot";

    private static readonly RbacPolicySnapshot Policy = RbacPolicyBuilder.Build(
        [
            Obj("""{"metadata":{"name":"reader"},"rules":[{"apiGroups":["","apps"],"resources":["pods","deployments","*/scale"],"verbs":["get","list"]}]}"""),
            Obj("""{"metadata":{"name":"discovery"},"rules":[{"nonResourceURLs":["/api","/apis/*"],"verbs":["get"]}]}"""),
        ],
        [
            Obj("""{"metadata":{"name":"cm","namespace":"team"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"resourceNames":["settings"],"verbs":["update"]},{"apiGroups":[""],"resources":["pods/log"],"verbs":["get"]}]}"""),
        ],
        [
            Obj("""{"metadata":{"name":"disco"},"roleRef":{"kind":"ClusterRole","name":"discovery"},"subjects":[{"kind":"Group","name":"system:authenticated"}]}"""),
            Obj("""{"metadata":{"name":"broken"},"roleRef":{"kind":"ClusterRole","name":"gone"},"subjects":[{"kind":"User","name":"jane"}]}"""),
            Obj("""{"metadata":{"name":"sa-no-ns"},"roleRef":{"kind":"ClusterRole","name":"reader"},"subjects":[{"kind":"ServiceAccount","name":"bot"}]}"""),
        ],
        [
            Obj("""{"metadata":{"name":"read","namespace":"team"},"roleRef":{"kind":"ClusterRole","name":"reader"},"subjects":[{"kind":"ServiceAccount","name":"bot"},{"kind":"User","name":"jane"}]}"""),
            Obj("""{"metadata":{"name":"cm","namespace":"team"},"roleRef":{"kind":"Role","name":"cm"},"subjects":[{"kind":"ServiceAccount","name":"bot","namespace":"team"}]}"""),
            Obj("""{"metadata":{"name":"missing","namespace":"team"},"roleRef":{"kind":"Role","name":"nope"},"subjects":[{"kind":"Group","name":"devs"}]}"""),
        ]);

    [Theory]
    [InlineData("list", "", "pods", "", "", "team", true)]
    [InlineData("list", "", "pods", "", "", "other", false)]
    [InlineData("watch", "", "pods", "", "", "team", false)]
    [InlineData("get", "apps", "deployments", "scale", "web", "team", true)]
    [InlineData("get", "apps", "deployments", "status", "web", "team", false)]
    [InlineData("get", "apps", "pods", "", "p", "team", true)]
    [InlineData("get", "batch", "jobs", "", "j", "team", false)]
    [InlineData("update", "", "configmaps", "", "settings", "team", true)]
    [InlineData("update", "", "configmaps", "", "other", "team", false)]
    [InlineData("update", "", "configmaps", "", "", "team", false)]
    [InlineData("get", "", "pods", "log", "p", "team", true)]
    [InlineData("get", "", "pods", "exec", "p", "team", false)]
    public void Authorize_ServiceAccount_MatchesRulesOfItsBindings(string verb, string group, string resource, string subresource,
        string name, string ns, bool allowed) =>
        Assert.Equal(allowed, Policy.Authorize(AuthorizationAttributes.ForResource(Sa, SaGroups, verb, group, resource, ns, name, subresource)).Allowed);

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/apis/apps/v1", true)]
    [InlineData("/apis", false)]
    [InlineData("/metrics", false)]
    public void Authorize_NonResourcePath_ThroughGroupBinding(string path, bool allowed) =>
        Assert.Equal(allowed, Policy.Authorize(AuthorizationAttributes.ForPath(Sa, SaGroups, "get", path)).Allowed);

    [Fact]
    public void Authorize_Denied_ReasonNamesTheMissingRolesOfApplicableBindings()
    {
        var jane = AuthorizationAttributes.ForResource("jane", ["devs", "system:authenticated"], "delete", "", "pods", "team", "p");

        var decision = Policy.Authorize(jane);

        Assert.False(decision.Allowed);
        Assert.Equal("RBAC: [clusterrole.rbac.authorization.k8s.io \"gone\" not found, role.rbac.authorization.k8s.io \"nope\" not found]", decision.Reason);
        Assert.Equal("", Policy.Authorize(jane with { User = "bob", Groups = [] }).Reason);
    }

    [Fact]
    public void Authorize_Allowed_ReasonNamesBindingRoleAndSubject() =>
        Assert.Equal("RBAC: allowed by RoleBinding \"read/team\" of ClusterRole \"reader\" to User \"jane\"",
            Policy.Authorize(AuthorizationAttributes.ForResource("jane", [], "get", "", "pods", "team")).Reason);

    [Fact]
    public void RulesFor_ClusterAndNamespaceGrants_WithErrors()
    {
        var (rules, errors) = Policy.RulesFor(Sa, SaGroups, "team");

        Assert.Equal(4, rules.Count);
        Assert.Empty(errors);
        Assert.Single(Policy.RulesFor(Sa, SaGroups, "other").Rules);
        Assert.Equal(["clusterrole.rbac.authorization.k8s.io \"gone\" not found"], Policy.RulesFor("jane", [], "").Errors);
    }

    [Fact]
    public void Empty_DeniesEverything() =>
        Assert.False(RbacPolicySnapshot.Empty.Authorize(AuthorizationAttributes.ForPath("u", ["system:authenticated"], "get", "/api")).Allowed);

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
