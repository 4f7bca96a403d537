using System.Net;
using Berth.Storage;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.IntegrationTests;

/// <summary>
/// Issue 2 §5 through the official C# client against a live server: watch resume, 410, conflicts, every patch type,
/// the pod graceful-delete arithmetic and namespace deletion.
/// </summary>
public sealed class ClientSemanticsTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private async Task<(Kubernetes Client, string Ns)> NewNamespaceAsync()
    {
        var client = fixture.Host.CreateKubernetesClient();
        var ns = "cs-" + Guid.NewGuid().ToString("N")[..8];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }).DefaultTimeout();
        return (client, ns);
    }

    private static V1ConfigMap ConfigMap(string name, string value) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["k"] = value } };

    [Fact]
    public async Task Watch_FromListResourceVersion_ReplaysLaterChangesInOrder()
    {
        var (client, ns) = await NewNamespaceAsync();
        using var _ = client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a", "1"), ns).DefaultTimeout();
        var rv = (await client.CoreV1.ListNamespacedConfigMapAsync(ns).DefaultTimeout()).Metadata.ResourceVersion;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("b", "1"), ns).DefaultTimeout();
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(
            (await client.CoreV1.ReadNamespacedConfigMapAsync("a", ns)).WithData("2"), "a", ns).DefaultTimeout();
        await client.CoreV1.DeleteNamespacedConfigMapAsync("b", ns).DefaultTimeout();

        using var cts = new CancellationTokenSource(AsyncTestHelpers.DefaultWait);
        var seen = new List<(WatchEventType, string)>();
        var watch = client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, watch: true, resourceVersion: rv, cancellationToken: cts.Token);
#pragma warning disable CS0618 // The replacement is the generated Watch* API; this form tests the list+watch call shape kubectl uses.
        await foreach (var (type, item) in watch.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: cts.Token))
#pragma warning restore CS0618
        {
            seen.Add((type, item.Metadata.Name));
            if (seen.Count == 3)
            {
                break;
            }
        }
        Assert.Equal([(WatchEventType.Added, "b"), (WatchEventType.Modified, "a"), (WatchEventType.Deleted, "b")], seen);
    }

    [Fact]
    public async Task Watch_FromCompactedResourceVersion_GetsExpired410()
    {
        var (client, ns) = await NewNamespaceAsync();
        using var _ = client;
        var first = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("old", "1"), ns).DefaultTimeout();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("newer", "1"), ns).DefaultTimeout();
        var store = fixture.Host.Services.GetRequiredService<IResourceStore>();
        await store.CompactAsync(store.CurrentRevision).DefaultTimeout();

        using var http = fixture.Host.CreateHttpClient();
        var body = await http.GetStringAsync(
            $"/api/v1/namespaces/{ns}/configmaps?watch=true&timeoutSeconds=1&resourceVersion={first.Metadata.ResourceVersion}").DefaultTimeout();
        Assert.Contains("\"type\":\"ERROR\"", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":410", body, StringComparison.Ordinal);
        Assert.Contains("too old resource version", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_WithStaleResourceVersion_Is409Conflict()
    {
        var (client, ns) = await NewNamespaceAsync();
        using var _ = client;
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c", "1"), ns).DefaultTimeout();
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(
            (await client.CoreV1.ReadNamespacedConfigMapAsync("c", ns)).WithData("2"), "c", ns).DefaultTimeout();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ReplaceNamespacedConfigMapAsync(created.WithData("3"), "c", ns).DefaultTimeout());
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("the object has been modified", e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_EveryPatchType_AppliesAsUpstream()
    {
        var (client, ns) = await NewNamespaceAsync();
        using var _ = client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("p", "1"), ns).DefaultTimeout();
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"m":"merge"}}""", V1Patch.PatchType.MergePatch), "p", ns).DefaultTimeout();
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"s":"smp"}}""", V1Patch.PatchType.StrategicMergePatch), "p", ns).DefaultTimeout();
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""[{"op":"replace","path":"/data/k","value":"json"}]""", V1Patch.PatchType.JsonPatch), "p", ns).DefaultTimeout();
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p"},"data":{"a":"apply"}}""", V1Patch.PatchType.ApplyPatch),
            "p", ns, fieldManager: "it-test").DefaultTimeout();
        var cm = await client.CoreV1.ReadNamespacedConfigMapAsync("p", ns).DefaultTimeout();
        Assert.Equal("json", cm.Data["k"]);
        Assert.Equal("merge", cm.Data["m"]);
        Assert.Equal("smp", cm.Data["s"]);
        Assert.Equal("apply", cm.Data["a"]);
        Assert.Contains(cm.Metadata.ManagedFields, f => f.Manager == "it-test" && f.Operation == "Apply");

        var applied = await client.CoreV1.PatchNamespacedConfigMapWithHttpMessagesAsync(new V1Patch(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fresh"},"data":{"a":"1"}}""", V1Patch.PatchType.ApplyPatch),
            "fresh", ns, fieldManager: "it-test").DefaultTimeout();
        Assert.Equal(HttpStatusCode.Created, applied.Response.StatusCode);
    }

    [Fact]
    public async Task DeletePod_GraceArithmetic_ShortenOnlyThenForce()
    {
        var (client, ns) = await NewNamespaceAsync();
        using var _ = client;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "g" },
            Spec = new V1PodSpec { NodeName = "ghost-node", Containers = [new V1Container { Name = "c", Image = "busybox", Command = ["sleep", "60"] }] },
        };
        var created = await client.CoreV1.CreateNamespacedPodAsync(pod, ns).DefaultTimeout();
        Assert.Equal(30, created.Spec.TerminationGracePeriodSeconds);

        var wrongUid = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.DeleteNamespacedPodAsync("g", ns,
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = Guid.NewGuid().ToString() } }).DefaultTimeout());
        Assert.Equal(HttpStatusCode.Conflict, wrongUid.Response.StatusCode);

        var first = await client.CoreV1.DeleteNamespacedPodAsync("g", ns, new V1DeleteOptions { GracePeriodSeconds = 30 }).DefaultTimeout();
        Assert.Equal(30, first.Metadata.DeletionGracePeriodSeconds);
        var shorter = await client.CoreV1.DeleteNamespacedPodAsync("g", ns, new V1DeleteOptions { GracePeriodSeconds = 10 }).DefaultTimeout();
        Assert.Equal(10, shorter.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(first.Metadata.DeletionTimestamp!.Value.AddSeconds(-20), shorter.Metadata.DeletionTimestamp!.Value, TimeSpan.FromSeconds(1));
        var longer = await client.CoreV1.DeleteNamespacedPodAsync("g", ns, new V1DeleteOptions { GracePeriodSeconds = 60 }).DefaultTimeout();
        Assert.Equal(10, longer.Metadata.DeletionGracePeriodSeconds);

        await client.CoreV1.DeleteNamespacedPodAsync("g", ns, new V1DeleteOptions { GracePeriodSeconds = 0 }).DefaultTimeout();
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedPodAsync("g", ns).DefaultTimeout());
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task DeleteNamespace_RemovesContentThenTheNamespace()
    {
        var (client, ns) = await NewNamespaceAsync();
        using var _ = client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("inside", "1"), ns).DefaultTimeout();
        var deleting = await client.CoreV1.DeleteNamespaceAsync(ns).DefaultTimeout();
        Assert.NotNull(deleting);
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                await client.CoreV1.ReadNamespaceAsync(ns);
                return false;
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, because: "the namespace controller emptied and removed the namespace");
        var left = await client.CoreV1.ListConfigMapForAllNamespacesAsync().DefaultTimeout();
        Assert.DoesNotContain(left.Items, c => c.Metadata.NamespaceProperty == ns);
    }
}

internal static class ConfigMapExtensions
{
    public static V1ConfigMap WithData(this V1ConfigMap cm, string value)
    {
        cm.Data = new Dictionary<string, string> { ["k"] = value };
        return cm;
    }
}
