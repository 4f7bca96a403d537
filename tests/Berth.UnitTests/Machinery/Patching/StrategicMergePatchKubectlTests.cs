using Berth.Machinery.Kinds;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>The bodies kubectl actually sends (kubectl-wire.md §7).</summary>
public sealed class StrategicMergePatchKubectlTests
{
    private const string Deployment = """
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"default","annotations":{"deployment.kubernetes.io/revision":"1"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
           "template":{"metadata":{"labels":{"app":"web"}},
             "spec":{"containers":[
               {"name":"web","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}],"env":[{"name":"A","value":"1"}]},
               {"name":"sidecar","image":"busybox","args":["sleep","3600"]}]}}}}
        """;

    [Fact]
    public void Apply_ClientSideApplyPatch_UpdatesImageAndAnnotationKeepsTheRest()
    {
        var patch = """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"x\":1}\n"}},
             "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
               "containers":[{"image":"nginx:1.26","name":"web"}]}}}}
            """;
        var result = SmpAssert.Apply(Deployment, patch, KindRegistry.Deployments);
        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => (string?)c!["name"]));
        Assert.Equal("nginx:1.26", (string?)containers[0]!["image"]);
        Assert.Equal(80, (int)containers[0]!["ports"]![0]!["containerPort"]!);
        Assert.Equal("busybox", (string?)containers[1]!["image"]);
        Assert.Equal("{\"x\":1}\n", (string?)result["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]);
        Assert.Equal("1", (string?)result["metadata"]!["annotations"]!["deployment.kubernetes.io/revision"]);
        Assert.False(result["spec"]!["template"]!["spec"]!.AsObject().ContainsKey("$setElementOrder/containers"));
    }

    [Fact]
    public void Apply_ClientSideApplyRemovingContainer_DeletesItAndKeepsOrder()
    {
        var patch = """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
               "containers":[{"$patch":"delete","name":"sidecar"}]}}}}
            """;
        var result = SmpAssert.Apply(Deployment, patch, KindRegistry.Deployments);
        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web"], containers.Select(c => (string?)c!["name"]));
        Assert.Equal("nginx:1.25", (string?)containers[0]!["image"]);
    }

    [Fact]
    public void Apply_SetImage_ChangesOnlyTheNamedContainer()
    {
        var patch = """{"spec":{"template":{"spec":{"containers":[{"image":"busybox:1.36","name":"sidecar"}]}}}}""";
        var result = SmpAssert.Apply(Deployment, patch, KindRegistry.Deployments);
        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "sidecar"], containers.Select(c => (string?)c!["name"]));
        Assert.Equal("busybox:1.36", (string?)containers[1]!["image"]);
        Assert.Equal(["sleep", "3600"], containers[1]!["args"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("nginx:1.25", (string?)containers[0]!["image"]);
    }

    [Fact]
    public void Apply_RolloutRestart_AddsTemplateAnnotation()
    {
        var patch = """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-27T22:48:00Z"}}}}}""";
        var result = SmpAssert.Apply(Deployment, patch, KindRegistry.Deployments);
        var meta = result["spec"]!["template"]!["metadata"]!;
        Assert.Equal("2026-11-27T22:48:00Z", (string?)meta["annotations"]!["kubectl.kubernetes.io/restartedAt"]);
        Assert.Equal("web", (string?)meta["labels"]!["app"]);
        Assert.Equal(2, result["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count);
    }

    [Fact]
    public void Apply_Cordon_SetsUnschedulable()
    {
        SmpAssert.Equal(
            """{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24","unschedulable":true}}""",
            """{"metadata":{"name":"n1"},"spec":{"podCIDR":"10.0.0.0/24"}}""",
            """{"spec":{"unschedulable":true}}""",
            KindRegistry.Nodes);
    }

    [Fact]
    public void Apply_Uncordon_NullDeletesField()
    {
        SmpAssert.Equal(
            """{"metadata":{"name":"n1"},"spec":{}}""",
            """{"metadata":{"name":"n1"},"spec":{"unschedulable":true}}""",
            """{"spec":{"unschedulable":null}}""",
            KindRegistry.Nodes);
    }

    [Fact]
    public void Apply_RetainKeysOnDeploymentStrategy_DropsRollingUpdate()
    {
        SmpAssert.Equal(
            """{"spec":{"strategy":{"type":"Recreate"}}}""",
            """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}""",
            """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""",
            KindRegistry.Deployments);
    }
}
