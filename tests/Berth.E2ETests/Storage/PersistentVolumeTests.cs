using System.Text.Json.Nodes;

namespace Berth.E2ETests.Storage;

/// <summary>
/// Persistent volumes end to end with the real kubectl, as on a k3s node with its local-path provisioner: the default
/// StorageClass, a claim provisioned for its first pod, data that outlives the pod, the volume and its directory going
/// with the claim, and StatefulSet pods keeping their data across deletion.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PersistentVolumeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    private static string Claim(string ns, string name) => $$$"""
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 16Mi}}
        """;

    private static string Pod(string ns, string name, string claim, string script) => $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{{name}}}, namespace: {{{ns}}}}
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "{{{script}}}"]
            volumeMounts: [{name: data, mountPath: /data}]
          volumes:
          - name: data
            persistentVolumeClaim: {claimName: {{{claim}}}}
        """;

    private async Task WaitPodRunningAsync(string ns, string pod) =>
        Assert.True((await K.RunAsync($"wait --for=jsonpath={{.status.phase}}=Running pod/{pod} -n {ns} --timeout=60s", timeout: TimeSpan.FromSeconds(65))).ExitCode == 0,
            await K.OkAsync($"describe pod {pod} -n {ns}"));

    [Fact]
    public async Task DefaultStorageClass_IsLocalPath()
    {
        var output = await K.OkAsync("get storageclass");
        Assert.Matches(@"local-path \(default\)\s+berth\.dev/local-path\s+Delete\s+WaitForFirstConsumer\s+false", output);
    }

    [Fact]
    public async Task ClaimAndPod_DataSurvivesThePod_VolumeAndDirectoryGoWithTheClaim()
    {
        var ns = await fixture.NewNamespaceAsync("pvc");
        await K.OkAsync("apply -f -", Claim(ns, "data"));
        Assert.Matches(@"data\s+Pending\s+local-path", await K.OkAsync($"get pvc -n {ns}"));
        await K.OkAsync("apply -f -", Pod(ns, "writer", "data", "echo persisted-$RANDOM > /data/file; sleep 3600"));
        await WaitPodRunningAsync(ns, "writer");

        var claim = JsonNode.Parse(await K.OkAsync($"get pvc data -n {ns} -o json"))!;
        var volume = (string)claim["spec"]!["volumeName"]!;
        Assert.Matches(@"data\s+Bound\s+pvc-[0-9a-f-]+\s+16Mi\s+RWO\s+local-path\s+<unset>", await K.OkAsync($"get pvc -n {ns}"));
        Assert.Matches(volume + @"\s+16Mi\s+RWO\s+Delete\s+Bound\s+" + ns + @"/data\s+local-path", await K.OkAsync($"get pv {volume}"));
        var directory = Path.Combine(fixture.Server.DataDir, "storage", $"{volume}_{ns}_data");
        Assert.True(Directory.Exists(directory), directory);
        var written = (await K.OkAsync($"exec writer -n {ns} -- cat /data/file")).Trim();
        Assert.StartsWith("persisted-", written, StringComparison.Ordinal);

        await K.OkAsync($"delete pod writer -n {ns}");
        await K.OkAsync("apply -f -", Pod(ns, "reader", "data", "sleep 3600"));
        await WaitPodRunningAsync(ns, "reader");
        Assert.Equal(written, (await K.OkAsync($"exec reader -n {ns} -- cat /data/file")).Trim());

        await K.OkAsync($"delete pvc data -n {ns} --wait=false");
        Assert.Matches(@"data\s+Terminating", await K.OkAsync($"get pvc -n {ns}"));
        await K.OkAsync($"delete pod reader -n {ns}");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get pv {volume}")).ExitCode != 0, TimeSpan.FromSeconds(30), "the volume is deleted");
        Assert.False(Directory.Exists(directory), directory);
        Assert.Contains("No resources found", (await K.RunAsync($"get pvc -n {ns}")).Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodWithMissingClaim_FailedSchedulingNamesTheClaim()
    {
        var ns = await fixture.NewNamespaceAsync("pvcmiss");
        await K.OkAsync("apply -f -", Pod(ns, "orphan", "nowhere", "sleep 3600"));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.OkAsync($"get events -n {ns}")).Contains(
            "persistentvolumeclaim \"nowhere\" not found", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "FailedScheduling names the claim");
    }

    [Fact]
    public async Task StatefulSetClaimTemplates_PodsKeepTheirDataAcrossDeletion()
    {
        var ns = await fixture.NewNamespaceAsync("stspvc");
        await K.OkAsync("apply -f -", $$$"""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db, namespace: {{{ns}}}}
            spec:
              replicas: 2
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: app
                    image: busybox:1.36
                    command: ["sh", "-c", "[ -f /data/id ] || echo $POD_NAME-$(cat /proc/sys/kernel/random/uuid) > /data/id; trap 'exit 0' TERM; while true; do sleep 0.1; done"]
                    env:
                    - name: POD_NAME
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    volumeMounts: [{name: data, mountPath: /data}]
              volumeClaimTemplates:
              - metadata: {name: data}
                spec:
                  accessModes: [ReadWriteOnce]
                  resources: {requests: {storage: 8Mi}}
            """);
        Assert.True((await K.RunAsync($"rollout status sts/db -n {ns} --timeout=90s", timeout: TimeSpan.FromSeconds(95))).ExitCode == 0,
            await K.OkAsync($"get pods,pvc -n {ns}"));
        Assert.Matches(@"data-db-0\s+Bound[\s\S]*data-db-1\s+Bound", await K.OkAsync($"get pvc -n {ns}"));
        var before = (await K.OkAsync($"exec db-1 -n {ns} -- cat /data/id")).Trim();

        await K.OkAsync($"delete pod db-1 -n {ns}");
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.RunAsync($"exec db-1 -n {ns} -- cat /data/id")) is { ExitCode: 0 } r && r.Stdout.Trim().Length > 0,
            TimeSpan.FromSeconds(60), "db-1 is back");
        Assert.StartsWith("db-1-", before, StringComparison.Ordinal);
        Assert.Equal(before, (await K.OkAsync($"exec db-1 -n {ns} -- cat /data/id")).Trim());
        Assert.StartsWith("db-0-", (await K.OkAsync($"exec db-0 -n {ns} -- cat /data/id")).Trim(), StringComparison.Ordinal);
    }
}
