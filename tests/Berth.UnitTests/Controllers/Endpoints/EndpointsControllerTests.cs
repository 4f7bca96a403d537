using System.Text.Json.Nodes;
using Berth.Controllers.Endpoints;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.UnitTests.Controllers.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.UnitTests.Controllers.EndpointSlice.EndpointTestObjects;

namespace Berth.UnitTests.Controllers.Endpoints;

public sealed class EndpointsControllerTests : IAsyncLifetime
{
    private readonly ControllerTestHost _host = new();
    private EndpointsController _controller = null!;

    public async Task InitializeAsync()
    {
        await _host.CreateNamespaceAsync("default");
        _controller = new EndpointsController(_host.Informers, _host.Api, TimeProvider.System, NullLogger<EndpointsController>.Instance);
        _host.Run(ct => _controller.RunAsync(2, ct));
        _host.Informers.Start(_host.Stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _controller.Dispose();
    }

    private async Task CreatePodAsync(string name, string ip)
    {
        var pod = Pod(name, ip);
        var status = pod["status"]!.DeepClone();
        pod.Remove("status");
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        created["status"] = status;
        await _host.Api.UpdateAsync(KindRegistry.Pods, "default", created, "status");
    }

    private async Task<JsonObject?> EndpointsAsync(string name = "web")
    {
        try
        {
            return await _host.Api.GetAsync(KindRegistry.Endpoints, "default", name);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private async Task<List<string>> AddressesAsync() =>
        (await EndpointsAsync())?.GetArray("subsets")?.OfType<JsonObject>()
            .SelectMany(s => s["addresses"]?.AsArray().OfType<JsonObject>() ?? []).Select(a => a.GetString("ip")!).ToList() ?? [];

    [Fact]
    public async Task ReadyPod_ListedWithTriggerTime_TerminatingPodRemoved()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await CreatePodAsync("a", "127.1.0.2");
        await CreatePodAsync("b", "127.1.0.3");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await AddressesAsync()).Count == 2);
        var endpoints = (await EndpointsAsync())!;
        Assert.True(DateTimeOffset.TryParse(endpoints.GetString("metadata", "annotations", EndpointsController.LastChangeTriggerTime), out _));
        await _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await AddressesAsync()).SequenceEqual(["127.1.0.3"]));
    }

    [Fact]
    public async Task ServiceDeleted_EndpointsDeleted()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await AsyncTestHelpers.WaitUntilAsync(async () => await EndpointsAsync() is not null);
        await _host.Api.DeleteAsync(KindRegistry.Services, "default", "web");
        await AsyncTestHelpers.WaitUntilAsync(async () => await EndpointsAsync() is null);
    }

    [Fact]
    public async Task ServiceWithoutSelector_EndpointsLeftAlone()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service("manual", selector: false));
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await AsyncTestHelpers.WaitUntilAsync(async () => await EndpointsAsync() is not null);
        Assert.Null(await EndpointsAsync("manual"));
    }

    [Fact]
    public async Task SteadyState_NotRewritten()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", Service());
        await CreatePodAsync("a", "127.1.0.2");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await AddressesAsync()).Count == 1);
        var before = (await EndpointsAsync())!.GetResourceVersion();
        var svc = await _host.Api.GetAsync(KindRegistry.Services, "default", "web");
        svc.SetPath(JsonValue.Create("x"), "metadata", "annotations", "nudge");
        await _host.Api.UpdateAsync(KindRegistry.Services, "default", svc);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System);
        Assert.Equal(before, (await EndpointsAsync())!.GetResourceVersion());
    }
}
