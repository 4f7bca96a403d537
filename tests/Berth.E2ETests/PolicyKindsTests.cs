using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// The other kinds a service's manifests carry, through the real kubectl: PriorityClass (with the Priority admission),
/// Ingress, IngressClass, NetworkPolicy, LimitRange (with the LimitRanger admission) and ResourceQuota.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PolicyKindsTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task ApplyManifest_WithEveryKind_GetListsThem()
    {
        var ns = await fixture.NewNamespaceAsync("policy");
        var id = Suffix();
        var manifest = $$$"""
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: high-{{{id}}}}
            value: 1000
            description: important
            ---
            apiVersion: networking.k8s.io/v1
            kind: IngressClass
            metadata: {name: nginx-{{{id}}}}
            spec: {controller: k8s.io/ingress-nginx}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: web, namespace: {{{ns}}}}
            spec:
              ingressClassName: nginx-{{{id}}}
              rules:
              - host: web.example.com
                http:
                  paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service: {name: web, port: {number: 80}}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web, namespace: {{{ns}}}}
            spec:
              podSelector: {matchLabels: {app: web}}
              ingress: [{ports: [{port: 80}]}]
            ---
            apiVersion: v1
            kind: LimitRange
            metadata: {name: limits, namespace: {{{ns}}}}
            spec:
              limits: [{type: Container, default: {memory: 256Mi}}]
            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: quota, namespace: {{{ns}}}}
            spec:
              hard: {pods: "10", requests.cpu: "4"}
            """;

        var applied = await K.OkAsync("apply -f -", manifest);
        Assert.Contains($"priorityclass.scheduling.k8s.io/high-{id} created", applied, StringComparison.Ordinal);
        Assert.Contains("ingress.networking.k8s.io/web created", applied, StringComparison.Ordinal);

        var listed = await K.OkAsync($"get pc,ingress,netpol,limits,quota -n {ns}");
        Assert.Matches($@"priorityclass.scheduling.k8s.io/high-{id}\s+1000\s+false\s+\S+\s+PreemptLowerPriority", listed);
        Assert.Matches($@"ingress.networking.k8s.io/web\s+nginx-{id}\s+web.example.com\s+80\s+\S+", listed);
        Assert.Matches(@"networkpolicy.networking.k8s.io/web\s+app=web\s+\S+", listed);
        Assert.Matches(@"limitrange/limits\s+\d{4}-\d\d-\d\dT", listed);
        Assert.Matches(@"resourcequota/quota\s+\S+", listed);
        Assert.Contains("system-node-critical", listed, StringComparison.Ordinal);
        var policy = JsonNode.Parse(await K.OkAsync($"get netpol web -n {ns} -o json"))!;
        Assert.Equal("""["Ingress"]""", policy["spec"]!["policyTypes"]!.ToJsonString());
        Assert.Equal("TCP", (string?)policy["spec"]!["ingress"]![0]!["ports"]![0]!["protocol"]);
    }

    [Fact]
    public async Task PodWithPriorityClassName_GetsItsPriority()
    {
        var ns = await fixture.NewNamespaceAsync("prio");
        await K.OkAsync("apply -f -", $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: critical, namespace: {{{ns}}}}
            spec:
              priorityClassName: system-cluster-critical
              containers: [{name: app, image: busybox, command: [sleep, "3600"]}]
            """);

        var yaml = await K.OkAsync($"get pod critical -n {ns} -o yaml");

        Assert.Contains("priority: 2000000000", yaml, StringComparison.Ordinal);
        Assert.Contains("preemptionPolicy: PreemptLowerPriority", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodWithUnknownPriorityClass_IsRefusedWithTheUpstreamMessage()
    {
        var ns = await fixture.NewNamespaceAsync("prio-unknown");

        var result = await K.RunAsync("apply -f -", $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: orphan, namespace: {{{ns}}}}
            spec:
              priorityClassName: no-such-class
              containers: [{name: app, image: busybox}]
            """);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error from server (Forbidden)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("pods \"orphan\" is forbidden: no PriorityClass with name no-such-class was found", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LimitRangeDefault_LandsInANewPod_AndMaxIsEnforced()
    {
        var ns = await fixture.NewNamespaceAsync("limits");
        await K.OkAsync("apply -f -", $$$"""
            apiVersion: v1
            kind: LimitRange
            metadata: {name: limits, namespace: {{{ns}}}}
            spec:
              limits:
              - {type: Container, default: {cpu: 500m, memory: 128Mi}, defaultRequest: {cpu: 100m}, max: {cpu: "1"}}
            """);

        await K.OkAsync($"run sleeper -n {ns} --image=busybox --restart=Never -- sleep 3600");
        var pod = JsonNode.Parse(await K.OkAsync($"get pod sleeper -n {ns} -o json"))!;
        var refused = await K.RunAsync($"run greedy -n {ns} --image=busybox --restart=Never --overrides={{\"spec\":{{\"containers\":[{{\"name\":\"greedy\",\"image\":\"busybox\",\"resources\":{{\"limits\":{{\"cpu\":\"2\"}}}}}}]}}}}");

        Assert.Equal("""{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}}""",
            pod["spec"]!["containers"]![0]!["resources"]!.ToJsonString());
        Assert.Equal("Burstable", (string?)pod["status"]!["qosClass"]);
        Assert.Contains("pods \"greedy\" is forbidden: maximum cpu usage per Container is 1, but limit is 2", refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImperativeCreate_PriorityClassIngressAndQuota()
    {
        var ns = await fixture.NewNamespaceAsync("policy-create");
        var id = Suffix();

        await K.OkAsync($"create priorityclass batch-{id} --value=100 --preemption-policy=Never --description=batch");
        await K.OkAsync($"create ingress simple -n {ns} --rule=foo.example/bar*=svc1:8080,tls=my-cert");
        await K.OkAsync($"create quota compute -n {ns} --hard=cpu=1,memory=1Gi,pods=4");

        var pc = JsonNode.Parse(await K.OkAsync($"get pc batch-{id} -o json"))!;
        Assert.Equal((100L, "Never"), ((long)pc["value"]!, (string?)pc["preemptionPolicy"]));
        var ing = JsonNode.Parse(await K.OkAsync($"get ingress simple -n {ns} -o json"))!;
        Assert.Equal("Prefix", (string?)ing["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["pathType"]);
        Assert.Equal("""{"loadBalancer":{}}""", ing["status"]!.ToJsonString());
        var quota = JsonNode.Parse(await K.OkAsync($"get quota compute -n {ns} -o json"))!;
        Assert.Equal("4", (string?)quota["spec"]!["hard"]!["pods"]);
    }

    [Fact]
    public async Task ResourceQuota_UsedIsKept_DescribeReadsIt_AndExcessIsRefused()
    {
        var ns = await fixture.NewNamespaceAsync("quota");
        await K.OkAsync($"create quota compute -n {ns} --hard=pods=1,requests.cpu=1,requests.memory=1Gi");
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.RunAsync($"get quota compute -n {ns} -o jsonpath={{.status.used.pods}}")).Stdout == "0", because: "the controller counted");

        await K.OkAsync($"run one -n {ns} --image=busybox --restart=Never --overrides={{\"spec\":{{\"containers\":[{{\"name\":\"one\",\"image\":\"busybox\",\"args\":[\"sleep\",\"3600\"],\"resources\":{{\"requests\":{{\"cpu\":\"250m\",\"memory\":\"64Mi\"}}}}}}]}}}}");
        var second = await K.RunAsync($"run two -n {ns} --image=busybox --restart=Never --overrides={{\"spec\":{{\"containers\":[{{\"name\":\"two\",\"image\":\"busybox\",\"resources\":{{\"requests\":{{\"cpu\":\"250m\",\"memory\":\"64Mi\"}}}}}}]}}}}");
        var unstated = await K.RunAsync($"run three -n {ns} --image=busybox --restart=Never");
        var described = await K.OkAsync($"describe quota compute -n {ns}");

        Assert.Contains("pods \"two\" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("pods \"three\" is forbidden: failed quota: compute: must specify requests.cpu for: three; requests.memory for: three", unstated.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"pods\s+1\s+1", described);
        Assert.Matches(@"requests.cpu\s+250m\s+1", described);
        Assert.Matches(@"requests.memory\s+64Mi\s+1Gi", described);
    }
}
