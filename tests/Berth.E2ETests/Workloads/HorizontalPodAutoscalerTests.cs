namespace Berth.E2ETests.Workloads;

/// <summary>
/// A HorizontalPodAutoscaler through the real kubectl and the real metrics: a Deployment whose pod burns CPU far above
/// its 100m request scales from one replica to its maximum of two; <c>kubectl get hpa</c> shows the measured
/// utilization against the target and <c>kubectl describe hpa</c> the conditions and the rescale event. The burner
/// stops after a minute, so the test's CPU use is bounded even if it fails.
/// </summary>
[Trait("Category", "E2E")]
public sealed class HorizontalPodAutoscalerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task CpuAboveTarget_DeploymentScalesToMax_GetAndDescribeShowIt()
    {
        var ns = await fixture.NewNamespaceAsync("hpa");
        await K.OkAsync("apply -f -", Manifest(ns));
        try
        {
            await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get deploy burn -n {ns} -o jsonpath={{.spec.replicas}}")).Stdout == "2",
                timeout: TimeSpan.FromSeconds(90), because: "the first sync with metrics (pod sampled, 15 s resync) scales to maxReplicas");

            var table = await K.OkAsync($"get hpa -n {ns}");
            Assert.Matches(@"NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE", table);
            Assert.Matches(@"burn\s+Deployment/burn\s+cpu: \d+%/50%\s+1\s+2\s+\d\s+", table);

            var described = await K.OkAsync($"describe hpa burn -n {ns}");
            Assert.Matches(@"ScalingActive\s+True\s+ValidMetricFound", described);
            Assert.Matches(@"AbleToScale\s+True\s+\w+", described);
            Assert.Contains("New size: 2; reason: cpu resource utilization (percentage of request) above target", described, StringComparison.Ordinal);
        }
        finally
        {
            await K.RunAsync($"delete deploy burn -n {ns} --wait=false");
        }
    }

    [Fact]
    public async Task InvalidSpec_Rejected422WithFieldPath()
    {
        var ns = await fixture.NewNamespaceAsync("hpa-bad");
        var bad = Manifest(ns).Replace("maxReplicas: 2", "maxReplicas: 0", StringComparison.Ordinal)
            .Replace("averageUtilization: 50", "averageUtilization: 0", StringComparison.Ordinal);
        var result = await K.RunAsync("apply -f -", bad[bad.IndexOf("apiVersion: autoscaling/v2", StringComparison.Ordinal)..]);

        Assert.Contains("spec.maxReplicas: Invalid value: 0: must be greater than 0", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// kubectl 1.32's <c>autoscale</c> posts autoscaling/v1 (served by conversion to the stored v2); the controller then
    /// acts on it: the deployment's 4 replicas are above maxReplicas, so it is scaled to 3 whatever the metrics say.
    /// </summary>
    [Fact]
    public async Task KubectlAutoscale_CreatesV1Hpa_ReadableAsV1AndV2_ControllerScalesToMax()
    {
        var ns = await fixture.NewNamespaceAsync("hpa-v1");
        await K.OkAsync($"create deployment idle --image=busybox:1.36 --replicas=4 -n {ns} -- sleep 3600");
        try
        {
            var created = await K.OkAsync($"autoscale deployment idle --min=1 --max=3 --cpu-percent=50 -n {ns}");
            Assert.Contains("horizontalpodautoscaler.autoscaling/idle autoscaled", created, StringComparison.Ordinal);

            // The full resource name: kubectl expands a short name ("hpa.v1.autoscaling") to group and resource only.
            var v1 = await K.OkAsync($"get horizontalpodautoscalers.v1.autoscaling idle -n {ns} -o yaml");
            Assert.Contains("apiVersion: autoscaling/v1", v1, StringComparison.Ordinal);
            Assert.Contains("targetCPUUtilizationPercentage: 50", v1, StringComparison.Ordinal);

            await AsyncTestHelpers.WaitUntilAsync(async () =>
                    (await K.RunAsync($"get hpa idle -n {ns} -o jsonpath={{.status.desiredReplicas}}")).Stdout == "3" &&
                    (await K.RunAsync($"get deploy idle -n {ns} -o jsonpath={{.spec.replicas}}")).Stdout == "3",
                timeout: TimeSpan.FromSeconds(60), because: "the first sync (15 s resync) rescales 4 replicas above maxReplicas to 3");

            var table = await K.OkAsync($"get hpa -n {ns}");
            Assert.Matches(@"NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE", table);
            Assert.Matches(@"idle\s+Deployment/idle\s+cpu: [^\s]+/50%\s+1\s+3\s+\d\s+", table);
            Assert.Contains("apiVersion: autoscaling/v2", await K.OkAsync($"get hpa idle -n {ns} -o yaml"), StringComparison.Ordinal);
        }
        finally
        {
            await K.RunAsync($"delete deploy idle -n {ns} --wait=false");
        }
    }

    private static string Manifest(string ns) => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: burn, namespace: {{{ns}}}}
        spec:
          replicas: 1
          selector: {matchLabels: {app: burn}}
          template:
            metadata: {labels: {app: burn}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: busybox:1.36
                command: ["sh", "-c", "timeout 60 sh -c 'while :; do :; done'; sleep 3600"]
                resources: {requests: {cpu: 100m}}
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: burn, namespace: {{{ns}}}}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: burn}
          minReplicas: 1
          maxReplicas: 2
          metrics:
          - type: Resource
            resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
        """;
}
