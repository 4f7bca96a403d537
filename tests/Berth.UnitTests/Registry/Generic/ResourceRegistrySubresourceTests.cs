using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ResourceRegistrySubresourceTests : IAsyncLifetime
{
    private readonly RegistryTestHost _host = new();

    public async Task InitializeAsync()
    {
        await _host.CreateNamespaceAsync();
        await _host.Api.CreateAsync(KindRegistry.Deployments, "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web", ["tier"] = "front" } },
            },
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetScale_ReturnsReplicasAndCanonicalSelector()
    {
        var scale = await _host.Api.GetSubresourceAsync(KindRegistry.Deployments, "default", "web", "scale");
        Assert.Equal("autoscaling/v1", scale["apiVersion"]!.GetValue<string>());
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        Assert.Equal(2, scale.GetLong("spec", "replicas"));
        Assert.Equal(0, scale.GetLong("status", "replicas"));
        Assert.Equal("app=web,tier=front", scale.GetString("status", "selector"));
        Assert.Equal("web", scale.GetName());
    }

    [Fact]
    public async Task PatchScale_MergePatch_UpdatesParentAndBumpsGeneration()
    {
        var result = await _host.Api.PatchResourceAsync(KindRegistry.Deployments, "default", "web", PatchType.Merge,
            JsonNode.Parse("""{"spec":{"replicas":5}}""")!, "scale");
        Assert.Equal(5, result.Object.GetLong("spec", "replicas"));
        var deployment = await _host.Api.GetAsync(KindRegistry.Deployments, "default", "web");
        Assert.Equal(5, deployment.GetLong("spec", "replicas"));
        Assert.Equal(2, deployment.GetLong("metadata", "generation"));
    }

    [Fact]
    public async Task UpdateScale_NegativeReplicas_Returns422()
    {
        var scale = await _host.Api.GetSubresourceAsync(KindRegistry.Deployments, "default", "web", "scale");
        scale["spec"] = new JsonObject { ["replicas"] = -1 };
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.UpdateAsync(KindRegistry.Deployments, "default", scale, "scale"));
        Assert.Equal(422, e.Code);
        Assert.Equal("Scale.autoscaling \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", e.Message);
    }

    [Fact]
    public async Task Binding_UnboundPod_SetsNodeNameAndPodScheduled()
    {
        await _host.CreatePodAsync("a");
        var result = await _host.Api.CreateSubresourceAsync(KindRegistry.Pods, "default", "a", "binding", Binding("a", "node1"));
        Assert.True(result.Created);
        Assert.Equal("Success", result.Object.GetString("status"));
        var pod = await _host.Api.GetAsync(KindRegistry.Pods, "default", "a");
        Assert.Equal("node1", pod.GetString("spec", "nodeName"));
        var condition = Assert.Single(pod.GetArray("status", "conditions")!);
        Assert.Equal("PodScheduled", condition!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Binding_AlreadyBoundPod_Returns409()
    {
        await _host.CreatePodAsync("a", node: "node0");
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.CreateSubresourceAsync(KindRegistry.Pods, "default", "a", "binding", Binding("a", "node1")));
        Assert.Equal(409, e.Code);
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"a\": pod a is already assigned to node \"node0\"", e.Message);
    }

    [Fact]
    public async Task Eviction_DeletesGracefullyWithItsOptions()
    {
        await _host.CreatePodAsync("a", node: "n1");
        var eviction = new JsonObject
        {
            ["apiVersion"] = "policy/v1", ["kind"] = "Eviction",
            ["metadata"] = new JsonObject { ["name"] = "a", ["namespace"] = "default" },
            ["deleteOptions"] = new JsonObject { ["gracePeriodSeconds"] = 7 },
        };
        var result = await _host.Api.CreateSubresourceAsync(KindRegistry.Pods, "default", "a", "eviction", eviction);
        Assert.Equal(201, result.Object.GetLong("code"));
        var pod = await _host.Api.GetAsync(KindRegistry.Pods, "default", "a");
        Assert.Equal(7, pod.GetLong("metadata", "deletionGracePeriodSeconds"));
    }

    [Fact]
    public async Task GetSubresource_Unsupported_Returns405()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.GetSubresourceAsync(KindRegistry.ConfigMaps, "default", "x", "scale"));
        Assert.Equal(405, e.Code);
    }

    private static JsonObject Binding(string pod, string node) => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Binding",
        ["metadata"] = new JsonObject { ["name"] = pod },
        ["target"] = new JsonObject { ["kind"] = "Node", ["name"] = node },
    };
}
