namespace Berth.E2ETests;

/// <summary>
/// API access from inside a pod as Kubernetes users expect it: the admission-mounted ServiceAccount token, CA and
/// namespace at /var/run/secrets/kubernetes.io/serviceaccount, <c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c> (the
/// <c>kubernetes</c> Service's ClusterIP, which the serving certificate names), and <c>kubectl create token</c>. The
/// account is granted <c>view</c> in its namespace first: without a binding RBAC forbids it (RbacTests).
/// </summary>
[Trait("Category", "E2E")]
public sealed class ServiceAccountTokenTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string Node = Environment.MachineName.ToLowerInvariant();

    private Kubectl K => fixture.Kubectl;

    private static string ClientPod(string ns) => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: client, namespace: {{ns}}}
        spec:
          nodeName: {{Node}}
          restartPolicy: Never
          containers:
          - name: app
            image: curlimages/curl
            command:
            - sh
            - -c
            - |
              SA=/var/run/secrets/kubernetes.io/serviceaccount
              echo "ns=$(cat $SA/namespace)"
              curl -sS -o /dev/null -w 'code=%{http_code}\n' --cacert $SA/ca.crt -H "Authorization: Bearer $(cat $SA/token)" "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/$(cat $SA/namespace)/pods"
        """;

    [Fact]
    public async Task Pod_MountedTokenAndCa_ListsPodsThroughKubernetesService()
    {
        var ns = await fixture.NewNamespaceAsync("sa-incluster");
        await K.OkAsync($"create rolebinding default-view -n {ns} --clusterrole=view --serviceaccount={ns}:default");
        await K.OkAsync("apply -f -", ClientPod(ns));
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.OkAsync($"get pod client -n {ns} -o jsonpath={{.status.phase}}")).Trim() is "Succeeded" or "Failed",
            because: "the client pod finishes");

        var logs = await K.OkAsync($"logs client -n {ns}");
        Assert.Contains($"ns={ns}", logs, StringComparison.Ordinal);
        Assert.Contains("code=200", logs, StringComparison.Ordinal);
        var volume = await K.OkAsync($"get pod client -n {ns} -o jsonpath={{.spec.volumes[0].name}}");
        Assert.StartsWith("kube-api-access-", volume, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateToken_DefaultAccount_AcceptedUntilAccountRecreated()
    {
        var ns = await fixture.NewNamespaceAsync("sa-token");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get sa default -n {ns}")).ExitCode == 0,
            because: "the ServiceAccount controller created default");
        var token = (await K.OkAsync($"create token default -n {ns} --duration 15m")).Trim();

        var whoami = await K.OkAsync($"--token={token} auth whoami -o jsonpath={{.status.userInfo.username}}");
        Assert.Equal($"system:serviceaccount:{ns}:default", whoami.Trim());
        await K.OkAsync($"create rolebinding default-view -n {ns} --clusterrole=view --serviceaccount={ns}:default");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"--token={token} get pods -n {ns}")).ExitCode == 0,
            because: "the RoleBinding reaches the authorizer");

        var tooShort = await K.RunAsync($"create token default -n {ns} --duration 1m");
        Assert.NotEqual(0, tooShort.ExitCode);
        Assert.Contains("may not specify a duration less than 10 minutes", tooShort.Stderr, StringComparison.Ordinal);

        await K.OkAsync($"delete sa default -n {ns}");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get sa default -n {ns}")).ExitCode == 0,
            because: "the ServiceAccount controller recreated default");
        var rejected = await K.RunAsync($"--token={token} get pods -n {ns}");
        Assert.NotEqual(0, rejected.ExitCode);
        Assert.Contains("Unauthorized", rejected.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
