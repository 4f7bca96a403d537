namespace Berth.E2ETests;

/// <summary>
/// RBAC as kubectl users meet it: Roles and RoleBindings applied and listed with <c>-o wide</c>, the default
/// ClusterRoles, a ServiceAccount token forbidden until a binding grants it, <c>auth can-i</c> for that token, the
/// administrator impersonating the account, and escalation prevention for a namespace admin.
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

    [Fact]
    public async Task Impersonation_AdministratorActsAsTheAccount()
    {
        var ns = await fixture.NewNamespaceAsync("rbac-as");
        await K.OkAsync($"create serviceaccount bot -n {ns}");
        var account = $"system:serviceaccount:{ns}:bot";

        Assert.Equal("no\n", (await K.RunAsync($"auth can-i list pods -n {ns} --as={account}")).Stdout);
        await K.OkAsync("apply -f -", ReaderManifests(ns));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"auth can-i list pods -n {ns} --as={account}")).Stdout == "yes\n",
            because: "the RoleBinding reaches the authorizer");

        Assert.Matches($@"Username\s+{account}\s*\nGroups\s+\[system:serviceaccounts system:serviceaccounts:{ns} system:authenticated\]",
            await K.OkAsync($"auth whoami --as={account}"));
        var forbidden = await K.RunAsync($"get secrets -n {ns} --as={account}");
        Assert.Contains($"secrets is forbidden: User \"{account}\" cannot list resource \"secrets\"", forbidden.Stderr, StringComparison.Ordinal);
        Assert.Equal("yes\n", await K.OkAsync($"auth can-i get pods -n {ns} --as=jane"));
    }

    [Fact]
    public async Task Escalation_NamespaceAdminCannotGrantWhatItLacks()
    {
        var ns = await fixture.NewNamespaceAsync("rbac-esc");
        await K.OkAsync($"create serviceaccount owner -n {ns}");
        await K.OkAsync($"create rolebinding owner-admin -n {ns} --clusterrole=admin --serviceaccount={ns}:owner");
        var token = (await K.OkAsync($"create token owner -n {ns}")).Trim();
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"--token={token} get roles -n {ns}")).ExitCode == 0,
            because: "the admin binding reaches the authorizer");

        await K.OkAsync($"--token={token} create role reader -n {ns} --verb=get --resource=pods");
        await K.OkAsync($"--token={token} create rolebinding team-view -n {ns} --clusterrole=view --group=team");
        var role = await K.RunAsync($"--token={token} create role nodes -n {ns} --verb=get --resource=nodes");
        Assert.Contains($"roles.rbac.authorization.k8s.io \"nodes\" is forbidden: user \"system:serviceaccount:{ns}:owner\" (groups=[\"system:serviceaccounts\" "
            + $"\"system:serviceaccounts:{ns}\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n"
            + "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}", role.Stderr, StringComparison.Ordinal);
        var binding = await K.RunAsync($"--token={token} create rolebinding root -n {ns} --clusterrole=cluster-admin --group=team");
        Assert.Contains("is attempting to grant RBAC permissions not currently held", binding.Stderr, StringComparison.Ordinal);
    }
}
