using System.Net;
using System.Text.Json.Nodes;
using Berth.Controllers.ServiceLB;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.Namespaces;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.ServiceLB;

public sealed class ServiceLoadBalancerControllerTests : IAsyncLifetime
{
    private readonly ControllerTestHost _host = new();
    private readonly RecordingEventRecorder _events = new();
    private ServiceLoadBalancerController _controller = null!;

    public async Task InitializeAsync()
    {
        await _host.CreateNamespaceAsync("default");
        _controller = new ServiceLoadBalancerController(_host.Informers, _host.Api, _events, TimeProvider.System,
            NullLogger<ServiceLoadBalancerController>.Instance,
            new ServiceLoadBalancerOptions { Address = IPAddress.Parse("127.0.0.7"), ReservedPorts = new HashSet<string> { "6443/TCP" } });
        _host.Run(ct => _controller.RunAsync(ServiceLoadBalancerController.DefaultWorkers, ct));
        _host.Informers.Start(_host.Stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _controller.Dispose();
    }

    private static JsonObject LoadBalancer(string name, int port, string? loadBalancerClass = null)
    {
        var spec = new JsonObject
        {
            ["type"] = "LoadBalancer",
            ["selector"] = new JsonObject { ["app"] = name },
            ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["targetPort"] = 8080, ["protocol"] = "TCP" }),
        };
        if (loadBalancerClass is not null)
        {
            spec["loadBalancerClass"] = loadBalancerClass;
        }
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" }, ["spec"] = spec };
    }

    private async Task<string?> IngressIPAsync(string name)
    {
        var service = await _host.Api.GetAsync(KindRegistry.Services, "default", name);
        return service["status"]?["loadBalancer"]?["ingress"]?[0]?["ip"]?.GetValue<string>();
    }

    private Task WaitForIngressAsync(string name, string? ip) =>
        AsyncTestHelpers.WaitUntilAsync(async () => await IngressIPAsync(name) == ip, because: $"{name} has ingress {ip ?? "none"}");

    [Fact]
    public async Task LoadBalancerService_GetsTheAddress_WithUpstreamsEvents()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", LoadBalancer("web", 8081));

        await WaitForIngressAsync("web", "127.0.0.7");

        var service = await _host.Api.GetAsync(KindRegistry.Services, "default", "web");
        Assert.Equal("VIP", service["status"]!["loadBalancer"]!["ingress"]![0]!["ipMode"]!.GetValue<string>());
        Assert.Contains(_events.Events, e => e.Reason == "EnsuringLoadBalancer" && e.Message == "Ensuring load balancer");
        Assert.Contains(_events.Events, e => e.Reason == "EnsuredLoadBalancer" && e.Message == "Ensured load balancer");
    }

    [Fact]
    public async Task SecondServiceOnTheSamePort_PendingUntilTheFirstIsDeleted()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", LoadBalancer("first", 8082));
        await WaitForIngressAsync("first", "127.0.0.7");

        await _host.Api.CreateAsync(KindRegistry.Services, "default", LoadBalancer("second", 8082));

        var failed = await _events.WaitForAsync(e => e.Reason == "SyncLoadBalancerFailed");
        Assert.Equal("Error syncing load balancer: failed to ensure load balancer: port 8082/TCP of 127.0.0.7 is used by the load balancer of default/first", failed.Message);
        Assert.Null(await IngressIPAsync("second"));
        await _host.Api.DeleteAsync(KindRegistry.Services, "default", "first");
        await WaitForIngressAsync("second", "127.0.0.7");
    }

    [Fact]
    public async Task ApiServerPort_StaysPending()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", LoadBalancer("api", 6443));

        var failed = await _events.WaitForAsync(e => e.Reason == "SyncLoadBalancerFailed");

        Assert.EndsWith("port 6443/TCP of 127.0.0.7 is used by the API server", failed.Message);
        Assert.Null(await IngressIPAsync("api"));
    }

    [Fact]
    public async Task TypeChangedToClusterIP_IngressCleared_AndAnotherClassIsLeftAlone()
    {
        await _host.Api.CreateAsync(KindRegistry.Services, "default", LoadBalancer("web", 8083));
        await _host.Api.CreateAsync(KindRegistry.Services, "default", LoadBalancer("other", 8084, loadBalancerClass: "example.com/lb"));
        await WaitForIngressAsync("web", "127.0.0.7");

        var service = await _host.Api.GetAsync(KindRegistry.Services, "default", "web");
        service["spec"]!["type"] = "ClusterIP";
        service["spec"]!["ports"]![0]!.AsObject().Remove("nodePort");
        service["spec"]!.AsObject().Remove("allocateLoadBalancerNodePorts");
        service["spec"]!.AsObject().Remove("externalTrafficPolicy");
        await _host.Api.UpdateAsync(KindRegistry.Services, "default", service);

        await WaitForIngressAsync("web", null);
        Assert.Null(await IngressIPAsync("other"));
        Assert.DoesNotContain(_events.Events, e => e.Object.Name == "other");
    }
}
