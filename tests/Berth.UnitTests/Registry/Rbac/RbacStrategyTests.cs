using Berth.Machinery.Kinds;
using Berth.Registry.Rbac;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Rbac;

public sealed class RbacStrategyTests
{
    private static readonly RoleStrategy Roles = new(KindRegistry.Roles);
    private static readonly RoleStrategy ClusterRoles = new(KindRegistry.ClusterRoles);
    private static readonly RoleBindingStrategy RoleBindings = new(KindRegistry.RoleBindings);
    private static readonly RoleBindingStrategy ClusterRoleBindings = new(KindRegistry.ClusterRoleBindings);

    [Fact]
    public void Role_ValidRules_Accepted()
    {
        var role = Parse("""{"metadata":{"name":"system:pod-reader","namespace":"default"},"rules":[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]}""");

        Assert.Empty(Create(Roles, role));
        Assert.True(Roles.AllowCreateOnUpdate);
    }

    [Theory]
    [InlineData("""{"apiGroups":[""],"resources":["pods"]}""", "rules[0].verbs: Required value: verbs must contain at least one value")]
    [InlineData("""{"resources":["pods"],"verbs":["get"]}""", "rules[0].apiGroups: Required value: resource rules must supply at least one api group")]
    [InlineData("""{"apiGroups":[""],"verbs":["get"]}""", "rules[0].resources: Required value: resource rules must supply at least one resource")]
    [InlineData("""{"nonResourceURLs":["/x"],"verbs":["get"]}""", "rules[0].nonResourceURLs: Invalid value: []string{\"/x\"}: namespaced rules cannot apply to non-resource URLs")]
    public void Role_InvalidRule_Rejected(string rule, string expected)
    {
        var role = Parse("""{"metadata":{"name":"r","namespace":"default"},"rules":[""" + rule + "]}");

        Assert.Equal([expected], Create(Roles, role));
    }

    [Theory]
    [InlineData("a/b", "metadata.name: Invalid value: \"a/b\": may not contain '/'")]
    [InlineData("..", "metadata.name: Invalid value: \"..\": may not be '..'")]
    [InlineData("50%", "metadata.name: Invalid value: \"50%\": may not contain '%'")]
    public void Role_NameNotAPathSegment_Rejected(string name, string expected)
    {
        var role = Parse("""{"metadata":{"name":"","namespace":"default"}}""");
        role["metadata"]!["name"] = name;

        Assert.Equal([expected], Create(Roles, role));
    }

    [Fact]
    public void ClusterRole_NonResourceUrlsWithResources_Rejected()
    {
        var role = Parse("""{"metadata":{"name":"c"},"rules":[{"nonResourceURLs":["/healthz"],"resources":["pods"],"verbs":["get"]},{"nonResourceURLs":["/api/*"],"verbs":["get"]}]}""");

        Assert.Equal(["rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: rules cannot apply to both regular resources and non-resource URLs"],
            Create(ClusterRoles, role));
    }

    [Fact]
    public void ClusterRole_EmptyAggregationRule_Rejected()
    {
        var role = Parse("""{"metadata":{"name":"c"},"aggregationRule":{"clusterRoleSelectors":[]}}""");

        Assert.Equal(["aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil"],
            Create(ClusterRoles, role));
    }

    [Fact]
    public void RoleBinding_Defaults_ApiGroupsByKind()
    {
        var binding = Parse("""{"metadata":{"name":"b","namespace":"default"},"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"jane"},{"kind":"Group","name":"devs"},{"kind":"ServiceAccount","name":"default"}]}""");

        Assert.Empty(Create(RoleBindings, binding));
        Assert.Equal("rbac.authorization.k8s.io", (string?)binding["roleRef"]!["apiGroup"]);
        Assert.Equal("rbac.authorization.k8s.io", (string?)binding["subjects"]![0]!["apiGroup"]);
        Assert.Equal("rbac.authorization.k8s.io", (string?)binding["subjects"]![1]!["apiGroup"]);
        Assert.Null(binding["subjects"]![2]!["apiGroup"]);
    }

    [Fact]
    public void ClusterRoleBinding_InvalidRefAndSubjects_RejectedWithUpstreamPaths()
    {
        var binding = Parse("""{"metadata":{"name":"b"},"roleRef":{"apiGroup":"x","kind":"Role","name":""},"subjects":[{"kind":"ServiceAccount","name":"Bad_Name","apiGroup":"v1"},{"kind":"Robot","name":"r"},{"kind":"User","name":""}]}""");

        Assert.Equal(
        [
            "roleRef.apiGroup: Unsupported value: \"x\": supported values: \"rbac.authorization.k8s.io\"",
            "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
            "roleRef.name: Required value",
            "subjects[0].name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "subjects[0].apiGroup: Unsupported value: \"v1\": supported values: \"\"",
            "subjects[0].namespace: Required value",
            "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
            "subjects[2].name: Required value",
        ], Create(ClusterRoleBindings, binding));
    }

    [Fact]
    public void RoleBinding_RoleRefChanged_Rejected()
    {
        var old = Parse("""{"metadata":{"name":"b","namespace":"default","resourceVersion":"1"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"a"}}""");
        var changed = With(old, o => o["roleRef"]!["name"] = "b");

        Assert.Equal(["roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"b\"}: cannot change roleRef"],
            Update(RoleBindings, changed, old));
        Assert.Empty(Update(RoleBindings, With(old, o => o["subjects"] = Parse("""{"a":[{"kind":"User","name":"u"}]}""")["a"]!.DeepClone()), old));
    }
}
