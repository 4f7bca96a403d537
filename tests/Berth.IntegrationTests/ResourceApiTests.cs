using k8s.Models;

namespace Berth.IntegrationTests;

/// <summary>The resource API through the official client, configured from the kubeconfig the server wrote.</summary>
public sealed class ResourceApiTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    [Fact]
    public async Task Namespaces_CreateThenList_ShowsCreated()
    {
        using var client = fixture.Host.CreateKubernetesClient();
        var name = "it-" + Guid.NewGuid().ToString("N")[..8];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }).DefaultTimeout();
        var list = await client.CoreV1.ListNamespaceAsync().DefaultTimeout();
        Assert.Contains(list.Items, n => n.Metadata.Name == name);
        Assert.False(string.IsNullOrEmpty(list.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task ConfigMap_CreateGetDelete_RoundTrips()
    {
        using var client = fixture.Host.CreateKubernetesClient();
        var ns = "it-" + Guid.NewGuid().ToString("N")[..8];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }).DefaultTimeout();
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "cm" },
            Data = new Dictionary<string, string> { ["k"] = "v" },
        }, ns).DefaultTimeout();
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        var read = await client.CoreV1.ReadNamespacedConfigMapAsync("cm", ns).DefaultTimeout();
        Assert.Equal("v", read.Data["k"]);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("cm", ns).DefaultTimeout();
        var remaining = await client.CoreV1.ListNamespacedConfigMapAsync(ns).DefaultTimeout();
        Assert.DoesNotContain(remaining.Items, c => c.Metadata.Name == "cm");
    }
}
