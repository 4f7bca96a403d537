using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// What <c>kubectl get -o yaml|json</c> and <c>kubectl describe</c> show of the fields a 1.32 node agent owns: container
/// statuses with <c>lastState: {}</c> and <c>volumeMounts</c>, the node's nodeInfo, runtimeHandlers, kubelet-owned
/// annotation and startup event.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlStatusShapeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string Node = Environment.MachineName.ToLowerInvariant();

    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task RunningPod_ContainerStatusHasEmptyLastStateAndVolumeMounts()
    {
        var ns = await fixture.NewNamespaceAsync("shape");
        await K.OkAsync("apply -f -", $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: shape, namespace: {{{ns}}}}
            spec:
              nodeName: {{{Node}}}
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: busybox:1.36
                command: ["sleep", "3600"]
                volumeMounts:
                - {name: cfg, mountPath: /etc/cfg, readOnly: true}
                - {name: data, mountPath: /data}
              volumes:
              - {name: cfg, emptyDir: {}}
              - {name: data, emptyDir: {}}
            """);
        await K.OkAsync($"wait --for=condition=Ready pod/shape -n {ns} --timeout=60s");

        var status = JsonNode.Parse(await K.OkAsync($"get pod shape -n {ns} -o json"))!["status"]!["containerStatuses"]![0]!;
        Assert.True(JsonNode.DeepEquals(new JsonObject(), status["lastState"]), status.ToJsonString());
        var mounts = status["volumeMounts"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"cfg","mountPath":"/etc/cfg","readOnly":true,"recursiveReadOnly":"Disabled"}"""), mounts[0]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"data","mountPath":"/data"}"""), mounts[1]));
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", (string?)mounts[2]!["mountPath"]);
        var yaml = await K.OkAsync($"get pod shape -n {ns} -o yaml");
        Assert.Contains("lastState: {}", yaml, StringComparison.Ordinal);
        Assert.Equal(5, yaml.Split("lastProbeTime: null").Length - 1);
        await K.OkAsync($"delete pod shape -n {ns} --wait=false");
    }

    [Fact]
    public async Task Node_NodeInfoRuntimeHandlersAnnotationAndStartingEvent()
    {
        var node = JsonNode.Parse(await K.OkAsync($"get node {Node} -o json"))!;
        var info = node["status"]!["nodeInfo"]!;
        Assert.Equal("v1.32.0-berth", (string?)info["kubeletVersion"]);
        Assert.Equal("v1.32.0-berth", (string?)info["kubeProxyVersion"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"name":"","features":{"recursiveReadOnlyMounts":false,"userNamespaces":false}}]"""),
            node["status"]!["runtimeHandlers"]));
        Assert.Equal("true", (string?)node["metadata"]!["annotations"]!["volumes.kubernetes.io/controller-managed-attach-detach"]);

        var describe = await K.OkAsync($"describe node {Node}");
        Assert.Matches(@"Kube-Proxy Version:\s+v1\.32\.0-berth", describe);
        Assert.Matches(@"Annotations:\s+volumes\.kubernetes\.io/controller-managed-attach-detach: true", describe);
        Assert.Matches(@"Normal\s+Starting\s+\S+\s+kubelet\s+Starting kubelet\.", describe);
        Assert.Matches(@"Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status", describe);
    }
}
