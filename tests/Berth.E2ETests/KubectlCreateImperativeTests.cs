using System.Text;
using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// Imperative <c>kubectl create &lt;kind&gt;</c>, which sends Kubernetes protobuf bodies: each command works and stores the
/// same object as the JSON route <c>kubectl create … --dry-run=client -o yaml | kubectl apply -f -</c>.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlCreateImperativeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task CreateNamespace_Works()
    {
        var name = "imperative-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Contains($"namespace/{name} created", await K.OkAsync($"create namespace {name}"), StringComparison.Ordinal);
        var ns = JsonNode.Parse(await K.OkAsync($"get ns {name} -o json"))!;
        Assert.Equal("Active", (string?)ns["status"]!["phase"]);
        Assert.Contains($"namespace/{name}", await K.OkAsync($"create ns {name}-b -o name"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ArgsOnly_RunsTheArgsAsTheCommand()
    {
        var ns = await fixture.NewNamespaceAsync("run");
        Assert.Contains("pod/sleeper created", await fixture.Kubectl.OkAsync($"run sleeper -n {ns} --image=busybox -- sleep 3600"), StringComparison.Ordinal);

        await fixture.Kubectl.OkAsync($"wait --for=condition=Ready pod/sleeper -n {ns} --timeout=30s");
        var running = await fixture.Kubectl.OkAsync($"get pod sleeper -n {ns} -o jsonpath={{.status.containerStatuses[0].state.running.startedAt}}");
        Assert.False(string.IsNullOrWhiteSpace(running), "the container is running");
        Assert.Contains("sleep", await fixture.Kubectl.OkAsync($"get pod sleeper -n {ns} -o jsonpath={{.spec.containers[0].args}}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDeployment_RollsOutAndMatchesDryRunApply()
    {
        var (ns, twin) = await NamespacesAsync("deploy");
        var stored = await AssertSameAsDryRunApplyAsync(ns, twin, "deployment", "web", "deployment web --image=busybox --replicas=2 -- sleep 3600");
        Assert.Equal(2, (int)stored["spec"]!["replicas"]!);
        Assert.Equal("sleep", (string?)stored["spec"]!["template"]!["spec"]!["containers"]![0]!["command"]![0]);
        var rollout = await K.RunAsync($"rollout status deploy/web -n {ns} --timeout=60s", timeout: TimeSpan.FromSeconds(70));
        Assert.True(rollout.ExitCode == 0, rollout.ToString());
        Assert.Contains("successfully rolled out", rollout.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDeployment_WithPortAndZeroReplicas_MatchesDryRunApply()
    {
        var (ns, twin) = await NamespacesAsync("deploy-port");
        var web = await AssertSameAsDryRunApplyAsync(ns, twin, "deployment", "web", "deployment web --image=busybox --port=8080");
        var port = web["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!;
        Assert.Equal(8080, (int)port["containerPort"]!);
        Assert.Equal("TCP", (string?)port["protocol"]);
        var idle = await AssertSameAsDryRunApplyAsync(ns, twin, "deployment", "idle", "deployment idle --image=busybox --replicas=0");
        Assert.Equal(0, (int)idle["spec"]!["replicas"]!);
    }

    [Fact]
    public async Task CreateConfigMapAndSecret_FromLiteral_RoundTrip()
    {
        var (ns, twin) = await NamespacesAsync("cm-secret");
        var cm = await AssertSameAsDryRunApplyAsync(ns, twin, "configmap", "settings", "configmap settings --from-literal=mode=fast --from-literal=empty=");
        Assert.Equal("fast", (string?)cm["data"]!["mode"]);
        Assert.Equal("", (string?)cm["data"]!["empty"]);
        var secret = await AssertSameAsDryRunApplyAsync(ns, twin, "secret", "creds", "secret generic creds --from-literal=password=s3cr3t-ü");
        Assert.Equal("s3cr3t-ü", Encoding.UTF8.GetString(Convert.FromBase64String((string)secret["data"]!["password"]!)));
        Assert.Equal("Opaque", (string?)secret["type"]);
    }

    [Fact]
    public async Task CreateServiceAndServiceAccount_MatchDryRunApply()
    {
        var (ns, twin) = await NamespacesAsync("svc-sa");
        var svc = await AssertSameAsDryRunApplyAsync(ns, twin, "service", "web", "service clusterip web --tcp=80:8080");
        var port = svc["spec"]!["ports"]![0]!;
        Assert.Equal(80, (int)port["port"]!);
        Assert.Equal(8080, (int)port["targetPort"]!);
        Assert.Equal("web", (string?)svc["spec"]!["selector"]!["app"]);
        await AssertSameAsDryRunApplyAsync(ns, twin, "serviceaccount", "robot", "serviceaccount robot");
    }

    [Fact]
    public async Task CreateJobCronJobAndJobFromCronJob_MatchDryRunApply()
    {
        var (ns, twin) = await NamespacesAsync("batch");
        var job = await AssertSameAsDryRunApplyAsync(ns, twin, "job", "once", "job once --image=busybox -- true");
        Assert.Equal("Never", (string?)job["spec"]!["template"]!["spec"]!["restartPolicy"]);
        var cron = await AssertSameAsDryRunApplyAsync(ns, twin, "cronjob", "tick", "cronjob tick --image=busybox --schedule='*/5 * * * *' -- true");
        Assert.Equal("*/5 * * * *", (string?)cron["spec"]!["schedule"]);

        Assert.Contains("job.batch/manual created", await K.OkAsync($"create job manual --from=cronjob/tick -n {ns}"), StringComparison.Ordinal);
        var manual = JsonNode.Parse(await K.OkAsync($"get job manual -n {ns} -o json"))!;
        Assert.Equal("manual", (string?)manual["metadata"]!["annotations"]!["cronjob.kubernetes.io/instantiate"]);
        var owner = manual["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal("CronJob", (string?)owner["kind"]);
        Assert.Equal("tick", (string?)owner["name"]);
        Assert.True((bool)owner["controller"]!);
    }

    [Fact]
    public async Task CreatePodDisruptionBudget_MatchesDryRunApply()
    {
        var (ns, twin) = await NamespacesAsync("pdb");
        var pdb = await AssertSameAsDryRunApplyAsync(ns, twin, "pdb", "web", "pdb web --selector=app=web --min-available=1");
        Assert.Equal(1, (int)pdb["spec"]!["minAvailable"]!);
        Assert.Equal("web", (string?)pdb["spec"]!["selector"]!["matchLabels"]!["app"]);
        var percent = await AssertSameAsDryRunApplyAsync(ns, twin, "pdb", "half", "pdb half --selector=app=web --max-unavailable=50%");
        Assert.Equal("50%", (string?)percent["spec"]!["maxUnavailable"]);
    }

    private async Task<(string Ns, string Twin)> NamespacesAsync(string prefix) =>
        (await fixture.NewNamespaceAsync(prefix), await fixture.NewNamespaceAsync(prefix + "-json"));

    /// <summary>
    /// Runs <c>kubectl create -n ns &lt;args&gt;</c> (protobuf) and its dry-run YAML through apply in <paramref name="twin"/>
    /// (JSON); asserts both stored objects agree outside server-assigned fields and returns the first. Flags go before
    /// <paramref name="args"/> because everything after <c>--</c> is the container command.
    /// </summary>
    private async Task<JsonObject> AssertSameAsDryRunApplyAsync(string ns, string twin, string resource, string name, string args)
    {
        var created = await K.RunAsync($"create -n {ns} {args}");
        Assert.True(created.ExitCode == 0, $"kubectl create {args}: {created}");
        Assert.Contains(" created", created.Stdout, StringComparison.Ordinal);
        var yaml = await K.OkAsync($"create -n {twin} --dry-run=client -o yaml {args}");
        await K.OkAsync($"apply -n {twin} -f -", yaml);
        var stored = JsonNode.Parse(await K.OkAsync($"get {resource} {name} -n {ns} -o json"))!.AsObject();
        var viaJson = JsonNode.Parse(await K.OkAsync($"get {resource} {name} -n {twin} -o json"))!.AsObject();
        Assert.Equal(Comparable(viaJson), Comparable(stored));
        return stored;
    }

    /// <summary>
    /// The object's JSON without what the server assigns per object (identity, times, allocated IPs) or apply adds; the
    /// uid also appears in generated selectors (Job controller-uid labels), so it is replaced wherever it occurs.
    /// </summary>
    private static string Comparable(JsonObject obj)
    {
        var uid = (string)obj["metadata"]!["uid"]!;
        var copy = obj.DeepClone().AsObject();
        copy.Remove("status");
        var meta = copy["metadata"]!.AsObject();
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "managedFields", "namespace", "generation" })
        {
            meta.Remove(field);
        }
        if (meta["annotations"] is JsonObject annotations)
        {
            annotations.Remove("kubectl.kubernetes.io/last-applied-configuration");
            annotations.Remove("deployment.kubernetes.io/revision");
            if (annotations.Count == 0)
            {
                meta.Remove("annotations");
            }
        }
        if (copy["spec"] is JsonObject spec)
        {
            spec.Remove("clusterIP");
            spec.Remove("clusterIPs");
        }
        return copy.ToJsonString().Replace(uid, "<uid>", StringComparison.Ordinal);
    }
}
