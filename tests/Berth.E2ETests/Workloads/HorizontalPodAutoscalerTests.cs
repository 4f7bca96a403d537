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
    public async Task InvalidSpec_Rejected422WithFieldPath_AutoscaleV1NotServed()
    {
        var ns = await fixture.NewNamespaceAsync("hpa-bad");
        var bad = Manifest(ns).Replace("maxReplicas: 2", "maxReplicas: 0", StringComparison.Ordinal)
            .Replace("averageUtilization: 50", "averageUtilization: 0", StringComparison.Ordinal);
        var result = await K.RunAsync("apply -f -", bad[bad.IndexOf("apiVersion: autoscaling/v2", StringComparison.Ordinal)..]);

        Assert.Contains("spec.maxReplicas: Invalid value: 0: must be greater than 0", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0", result.Stderr, StringComparison.Ordinal);

        // kubectl 1.32's autoscale posts autoscaling/v1, which Berth does not serve (docs/deviations.md).
        await K.OkAsync($"create deployment idle --image=busybox:1.36 --replicas=0 -n {ns}");
        var autoscale = await K.RunAsync($"autoscale deployment idle --cpu-percent=50 --min=1 --max=5 -n {ns}");
        Assert.Contains("the server could not find the requested resource", autoscale.Stderr, StringComparison.Ordinal);
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
