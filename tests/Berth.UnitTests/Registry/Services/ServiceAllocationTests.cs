using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.Services;

public sealed class ServiceAllocationTests : IAsyncLifetime
{
    private readonly ServiceAllocationHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string? ClusterIP(JsonObject svc) => svc.GetString("spec", "clusterIP");

    [Fact]
    public async Task Create_ClusterIP_AllocatesFromRangeWithFamilies()
    {
        var svc = await _host.CreateAsync(ServiceAllocationHost.Service("web"));
        var ip = IPAddress.Parse(ClusterIP(svc)!);
        Assert.StartsWith("127.96.", ip.ToString(), StringComparison.Ordinal);
        Assert.NotEqual("127.96.0.1", ip.ToString());
        Assert.NotEqual("127.96.0.10", ip.ToString());
        Assert.Equal(ip.ToString(), svc.GetArray("spec", "clusterIPs")![0]!.GetValue<string>());
        Assert.Equal("IPv4", svc.GetArray("spec", "ipFamilies")![0]!.GetValue<string>());
        Assert.Equal("SingleStack", svc.GetString("spec", "ipFamilyPolicy"));
        Assert.True(_host.Allocator.IPs.Has(ip));
    }

    [Fact]
    public async Task Create_HeadlessAndExternalName_AllocateNothing()
    {
        var headless = await _host.CreateAsync(ServiceAllocationHost.Service("h", clusterIP: "None"));
        var external = await _host.CreateAsync(ServiceAllocationHost.Service("x", type: "ExternalName"));
        Assert.Equal("None", ClusterIP(headless));
        Assert.Null(ClusterIP(external));
        Assert.Equal(0, _host.Allocator.IPs.Used);
    }

    [Fact]
    public async Task Create_RequestedIPTaken_Returns422WithFieldPath()
    {
        await _host.CreateAsync(ServiceAllocationHost.Service("a", clusterIP: "127.96.0.5"));
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.CreateAsync(ServiceAllocationHost.Service("b", clusterIP: "127.96.0.5")));
        Assert.Equal(422, e.Code);
        var cause = Assert.Single(e.Details!.Causes);
        Assert.Equal("spec.clusterIPs", cause.Field);
        Assert.Equal("Invalid value: []string{\"127.96.0.5\"}: failed to allocate IP 127.96.0.5: provided IP is already allocated", cause.Message);
    }

    [Fact]
    public async Task Create_RequestedIPOutOfRange_Returns422()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.CreateAsync(ServiceAllocationHost.Service("b", clusterIP: "10.0.0.5")));
        Assert.Equal(422, e.Code);
        Assert.Contains("failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 127.96.0.0/16",
            e.Details!.Causes[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_FailsAfterAllocating_ReleasesIP()
    {
        await _host.CreateAsync(ServiceAllocationHost.Service("dup"));
        var used = _host.Allocator.IPs.Used;
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.CreateAsync(ServiceAllocationHost.Service("dup", clusterIP: "127.96.0.77")));
        Assert.Equal(409, e.Code);
        Assert.Equal(used, _host.Allocator.IPs.Used);
        Assert.False(_host.Allocator.IPs.Has(IPAddress.Parse("127.96.0.77")));
    }

    [Fact]
    public async Task Create_DryRun_AllocatesNothing()
    {
        var svc = await _host.CreateAsync(ServiceAllocationHost.Service("dry", type: "NodePort"), dryRun: true);
        Assert.NotNull(ClusterIP(svc));
        Assert.Equal(0, _host.Allocator.IPs.Used);
        Assert.Equal(0, _host.Allocator.NodePorts.Used);
    }

    [Fact]
    public async Task Delete_ReleasesIPAndNodePort()
    {
        var svc = await _host.CreateAsync(ServiceAllocationHost.Service("np", clusterIP: "127.96.0.9", type: "NodePort", nodePort: 30080));
        Assert.Equal(30080, svc.GetArray("spec", "ports")![0]!["nodePort"]!.GetValue<long>());
        await _host.Api.DeleteAsync(KindRegistry.Services, "default", "np");
        Assert.False(_host.Allocator.IPs.Has(IPAddress.Parse("127.96.0.9")));
        Assert.False(_host.Allocator.NodePorts.Has(30080));
        await _host.CreateAsync(ServiceAllocationHost.Service("np2", clusterIP: "127.96.0.9", type: "NodePort", nodePort: 30080));
    }

    [Fact]
    public async Task Create_NodePortTaken_Returns422WithPortPath()
    {
        await _host.CreateAsync(ServiceAllocationHost.Service("a", type: "NodePort", nodePort: 30080));
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.CreateAsync(ServiceAllocationHost.Service("b", type: "NodePort", nodePort: 30080)));
        Assert.Equal(422, e.Code);
        Assert.Equal("spec.ports[0].nodePort", e.Details!.Causes[0].Field);
        Assert.Contains("Invalid value: 30080: provided port is already allocated", e.Details.Causes[0].Message, StringComparison.Ordinal);
        Assert.Equal(1, _host.Allocator.IPs.Used);
    }

    [Fact]
    public async Task Update_TypeToExternalName_ReleasesIP_AndBackAllocates()
    {
        var svc = await _host.CreateAsync(ServiceAllocationHost.Service("t", type: "NodePort"));
        var ip = IPAddress.Parse(ClusterIP(svc)!);
        svc["spec"]!["type"] = "ExternalName";
        svc["spec"]!["externalName"] = "example.com";
        var updated = await _host.Api.UpdateAsync(KindRegistry.Services, "default", svc);
        Assert.Null(ClusterIP(updated));
        Assert.False(_host.Allocator.IPs.Has(ip));
        Assert.Equal(0, _host.Allocator.NodePorts.Used);
        updated["spec"]!["type"] = "ClusterIP";
        updated["spec"]!.AsObject().Remove("externalName");
        var back = await _host.Api.UpdateAsync(KindRegistry.Services, "default", updated);
        Assert.True(_host.Allocator.IPs.Has(IPAddress.Parse(ClusterIP(back)!)));
    }

    [Fact]
    public async Task Update_ChangingClusterIP_IsRejected()
    {
        var svc = await _host.CreateAsync(ServiceAllocationHost.Service("imm", clusterIP: "127.96.0.20"));
        svc["spec"]!["clusterIP"] = "127.96.0.21";
        svc["spec"]!["clusterIPs"] = new JsonArray("127.96.0.21");
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.Api.UpdateAsync(KindRegistry.Services, "default", svc));
        Assert.Equal(422, e.Code);
        Assert.False(_host.Allocator.IPs.Has(IPAddress.Parse("127.96.0.21")));
    }

    [Fact]
    public async Task Create_ConcurrentRequestsForSameIP_ExactlyOneWins()
    {
        await _host.CreateAsync(ServiceAllocationHost.Service("warm"));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await _host.CreateAsync(ServiceAllocationHost.Service($"race{i}", clusterIP: "127.96.7.7"));
                return true;
            }
            catch (ApiException e) when (e.Code == 422)
            {
                return false;
            }
        }))).DefaultTimeout();
        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Restart_RebuildsAllocationsFromStoredServices()
    {
        var a = await _host.CreateAsync(ServiceAllocationHost.Service("a", type: "NodePort", nodePort: 30111));
        _host.Restart();
        var e = await Assert.ThrowsAsync<ApiException>(() => _host.CreateAsync(ServiceAllocationHost.Service("b", clusterIP: ClusterIP(a))));
        Assert.Equal(422, e.Code);
        Assert.True(_host.Allocator.NodePorts.Has(30111));
        Assert.Equal(1, _host.Allocator.IPs.Used);
    }
}
