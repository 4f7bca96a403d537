namespace Berth.E2ETests;

/// <summary>
/// RBAC as kubectl users meet it: Roles and RoleBindings applied and listed with <c>-o wide</c>, the default
/// ClusterRoles, a ServiceAccount token forbidden until a binding grants it, <c>auth can-i</c> for that token, and the
/// administrator impersonating the account.
/// </summary>
[Trait("Category", "E2E")]
public sealed class RbacTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private static string ReaderManifests(string ns) => $$"""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: pod-reader, namespace: {{ns}}}
        rules:
        - apiGroups: [""]
          resources: ["pods"]
          verbs: ["get", "list", "watch"]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: read-pods, namespace: {{ns}}}
        subjects:
        - kind: ServiceAccount
          name: bot
          namespace: {{ns}}
        - kind: User
          name: jane
        - kind: Group
          name: devs
        roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
        """;

    [Fact]
    public async Task RoleAndBinding_ApplyAndGetWide_AsOnACluster()
    {
        var ns = await fixture.NewNamespaceAsync("rbac-get");

        await K.OkAsync("apply -f -", ReaderManifests(ns));

        var table = await K.OkAsync($"get role,rolebinding -n {ns} -o wide");
        Assert.Matches(@"NAME\s+CREATED AT\s*\nrole\.rbac\.authorization\.k8s\.io/pod-reader\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", table);
        Assert.Matches(@"NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS\s*\n"
            + $@"rolebinding\.rbac\.authorization\.k8s\.io/read-pods\s+Role/pod-reader\s+\S+\s+jane\s+devs\s+{ns}/bot", table);
        var patched = await K.RunAsync($"patch rolebinding read-pods -n {ns} --type=merge -p '{{\"roleRef\":{{\"name\":\"other\"}}}}'");
        Assert.NotEqual(0, patched.ExitCode);
        Assert.Contains("roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"other\"}: cannot change roleRef",
            patched.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultClusterRoles_BootstrappedAndAggregated()
    {
        var roles = await K.OkAsync("get clusterroles -l kubernetes.io/bootstrapping=rbac-defaults -o name");
        foreach (var name in (string[])["cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user", "system:public-info-viewer"])
        {
            Assert.Contains($"clusterrole.rbac.authorization.k8s.io/{name}\n", roles, StringComparison.Ordinal);
        }
        Assert.Contains("system:masters", await K.OkAsync("get clusterrolebinding cluster-admin -o wide"), StringComparison.Ordinal);
        Assert.Contains("deployments", await K.OkAsync("get clusterrole edit -o jsonpath={.rules[*].resources}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceAccountToken_ForbiddenUntilBound_ThenAllowed()
    {
        var ns = await fixture.NewNamespaceAsync("rbac-token");
        await K.OkAsync($"create serviceaccount bot -n {ns}");
        var token = (await K.OkAsync($"create token bot -n {ns}")).Trim();

        var denied = await K.RunAsync($"--token={token} get pods -n {ns}");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains($"Error from server (Forbidden): pods is forbidden: User \"system:serviceaccount:{ns}:bot\" cannot list resource \"pods\" "
            + $"in API group \"\" in the namespace \"{ns}\"", denied.Stderr, StringComparison.Ordinal);
        Assert.Equal("no\n", (await K.RunAsync($"--token={token} auth can-i list pods -n {ns}")).Stdout);

        await K.OkAsync("apply -f -", ReaderManifests(ns));

        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"--token={token} get pods -n {ns}")).ExitCode == 0,
            because: "the RoleBinding reaches the authorizer");
        Assert.Equal("yes\n", await K.OkAsync($"--token={token} auth can-i watch pods -n {ns}"));
        Assert.Equal("no\n", (await K.RunAsync($"--token={token} auth can-i delete pods -n {ns}")).Stdout);
        Assert.Equal("no\n", (await K.RunAsync($"--token={token} auth can-i list pods -n default")).Stdout);
        Assert.Matches(@"pods\s+\[\]\s+\[\]\s+\[get list watch\]", await K.OkAsync($"--token={token} auth can-i --list -n {ns}"));
        var secrets = await K.RunAsync($"--token={token} get secrets -n {ns}");
        Assert.Contains("secrets is forbidden", secrets.Stderr, StringComparison.Ordinal);
    }
}
