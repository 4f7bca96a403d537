using System.Text.Json.Nodes;
using Berth.Controllers.EndpointSlice;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.UnitTests.Controllers.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.UnitTests.Controllers.EndpointSlice.EndpointTestObjects;

namespace Berth.UnitTests.Controllers.EndpointSlice;

public sealed class EndpointSliceControllerTests : IAsyncLifetime
{
    private readonly ControllerTestHost _host = new();
    private EndpointSliceController _controller = null!;

    public async Task InitializeAsync()
    {
        await _host.CreateNamespaceAsync("default");
        _controller = new EndpointSliceController(_host.Informers, _host.Api, TimeProvider.System, NullLogger<EndpointSliceController>.Instance);
        _host.Run(ct => _controller.RunAsync(2, ct));
        _host.Informers.Start(_host.Stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _controller.Dispose();
    }

    /// <summary>Creates a pod, then writes its status (IP, Ready) as the kubelet would.</summary>
    private async Task CreatePodAsync(string name, string ip, bool ready = true, string app = "web")
    {
        var pod = Pod(name, ip, ready, app: app);
        var status = pod["status"]!.DeepClone();
        pod.Remove("status");
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        created["status"] = status;
        await _host.Api.UpdateAsync(KindRegistry.Pods, "default", created, "status");
    }

    private async Task<List<JsonObject>> EndpointsAsync()
    {
        var slices = await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default", new ListOptions(LabelSelector: "kubernetes.io/service-name=web"));
        return slices.Items.SelectMany(s => s["endpoints"]?.AsArray().OfType<JsonObject>() ?? []).ToList();
    }

    private async Task<bool> HasEndpointAsync(string pod, Func<JsonObject, bool> conditions) =>
        (await EndpointsAsync()).Any(e => e.GetString("targetRef", "name") == pod && conditions((JsonObject)e["conditions"]!));

    [Fact]
    public async Task ServiceWithReadyPod_GetsSliceWithReadyEndpoint()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await CreatePodAsync("a", "127.1.0.2");
        await AsyncTestHelpers.WaitUntilAsync(() => HasEndpointAsync("a", c => c["ready"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task PodDeleted_EndpointTerminatingThenRemoved()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await CreatePodAsync("a", "127.1.0.2");
        await CreatePodAsync("b", "127.1.0.3");
        await AsyncTestHelpers.WaitUntilAsync(() => HasEndpointAsync("b", c => c["ready"]!.GetValue<bool>()));
        await _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a");
        await AsyncTestHelpers.WaitUntilAsync(() => HasEndpointAsync("a", c =>
            !c["ready"]!.GetValue<bool>() && c["serving"]!.GetValue<bool>() && c["terminating"]!.GetValue<bool>()));
        await _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a", new DeleteOptions(GracePeriodSeconds: 0));
        await AsyncTestHelpers.WaitUntilAsync(async () => (await EndpointsAsync()).Select(e => e.GetString("targetRef", "name")).SequenceEqual(["b"]));
        var slices = await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default");
        Assert.Single(slices.Items);
    }

    [Fact]
    public async Task ServiceDeleted_SlicesDeleted()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await CreatePodAsync("a", "127.1.0.2");
        await AsyncTestHelpers.WaitUntilAsync(() => HasEndpointAsync("a", _ => true));
        await _host.Api.DeleteAsync(KindRegistry.Services, "default", "web");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default")).Items.Count == 0);
    }

    [Fact]
    public async Task ServiceWithoutSelector_GetsNoSlices()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service("manual", selector: false));
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await AsyncTestHelpers.WaitUntilAsync(async () => (await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default")).Items.Count == 1);
        var slices = await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default");
        Assert.Equal("web", slices.Items.Single().GetString("metadata", "labels", "kubernetes.io/service-name"));
    }

    [Fact]
    public async Task SteadyState_NoFurtherWrites()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await CreatePodAsync("a", "127.1.0.2");
        await AsyncTestHelpers.WaitUntilAsync(() => HasEndpointAsync("a", c => c["ready"]!.GetValue<bool>()));
        var before = (await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default")).Items.Single().GetResourceVersion();
        await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "nudge" } });
        await CreatePodAsync("other", "127.1.0.9", app: "other");
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        var after = (await _host.Api.ListAsync(KindRegistry.EndpointSlices, "default")).Items.Single().GetResourceVersion();
        Assert.Equal(before, after);
    }
}
