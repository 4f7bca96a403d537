namespace Berth.E2ETests;

/// <summary><c>kubectl explain</c> through the real kubectl, which reads the OpenAPI v3 schemas (docs/deviations.md, OpenAPI).</summary>
[Trait("Category", "E2E")]
public sealed class KubectlExplainTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task Explain_Pods_KindVersionDescriptionAndFields()
    {
        var output = await K.OkAsync("explain pods");
        Assert.StartsWith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers", output, StringComparison.Ordinal);
        Assert.Contains("\nFIELDS:\n  apiVersion\t<string>\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  spec\t<PodSpec>\n    Specification of the desired behavior of the pod.", output, StringComparison.Ordinal);
        Assert.Contains("\n  status\t<PodStatus>\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_NestedField_FieldLineAndBothDescriptions()
    {
        var output = await K.OkAsync("explain pod.spec.containers.lifecycle.preStop");
        Assert.Contains("FIELD: preStop <LifecycleHandler>\n", output, StringComparison.Ordinal);
        Assert.Contains("\nDESCRIPTION:\n    PreStop is called immediately before a container is terminated", output, StringComparison.Ordinal);
        Assert.Contains("    LifecycleHandler defines a specific action", output, StringComparison.Ordinal);
        Assert.Contains("\n  httpGet\t<HTTPGetAction>\n", output, StringComparison.Ordinal);

        var grace = await K.OkAsync("explain pod.spec.terminationGracePeriodSeconds");
        Assert.Contains("FIELD: terminationGracePeriodSeconds <integer>\n", grace, StringComparison.Ordinal);
        Assert.Contains("Optional duration in seconds the pod needs to terminate gracefully.", grace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Recursive_GroupAndNestedTypes()
    {
        var output = await K.OkAsync("explain deploy.spec.strategy --recursive");
        Assert.StartsWith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: strategy <DeploymentStrategy>\n", output, StringComparison.Ordinal);
        Assert.Contains("FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_ListField_ElementTypeAndRequired()
    {
        var output = await K.OkAsync("explain svc.spec.ports");
        Assert.Contains("FIELD: ports <[]ServicePort>\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  port\t<integer> -required-\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  targetPort\t<IntOrString>\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  nodePort\t<integer>\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_EndpointSlices_RequiredFields()
    {
        var output = await K.OkAsync("explain endpointslices");
        Assert.StartsWith("GROUP:      discovery.k8s.io\nKIND:       EndpointSlice\nVERSION:    v1\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  addressType\t<string> -required-\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  endpoints\t<[]Endpoint> -required-\n", output, StringComparison.Ordinal);
        Assert.Contains("\n  ports\t<[]EndpointPort>\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_UnknownField_ErrorAsOnACluster()
    {
        var result = await K.RunAsync("explain pod.spec.bogus");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: field \"bogus\" does not exist", result.Stderr, StringComparison.Ordinal);
    }
}
