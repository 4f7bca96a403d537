using System.Text.Json.Nodes;
using Berth.Controllers.ResourceQuota;
using Berth.Machinery.Kinds;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.ResourceQuota;

/// <summary>The resource quota controller over the real registry: hard mirrored, used recomputed from the objects.</summary>
public sealed class ResourceQuotaControllerTests : IAsyncDisposable
{
    private const string Ns = ControllerHostBase.Ns;

    private readonly QuotaHost _host = new();

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private sealed class QuotaHost() : ControllerHostBase(null)
    {
        public void Run()
        {
            Add(new ResourceQuotaController(Informers, Api, Time, NullLogger<ResourceQuotaController>.Instance));
            StartInformers();
        }
    }

    private static JsonObject Node(string json) => JsonNode.Parse(json)!.AsObject();

    private async Task<string?> UsedAsync() => (await _host.GetAsync(KindRegistry.ResourceQuotas, "q"))["status"]?["used"]?.ToJsonString();

    [Fact]
    public async Task Sync_FillsHardAndUsed_ThenFollowsPodsAndTerminalPhases()
    {
        await _host.Api.CreateAsync(KindRegistry.ResourceQuotas, Ns, Node("""{"metadata":{"name":"q"},"spec":{"hard":{"pods":"5","requests.cpu":"2","count/configmaps":"9"}}}"""));
        _host.Run();

        await _host.WaitUntilAsync(async () => await UsedAsync() == """{"count/configmaps":"0","pods":"0","requests.cpu":"0"}""", "initial usage");
        Assert.Equal("""{"pods":"5","requests.cpu":"2","count/configmaps":"9"}""", (await _host.GetAsync(KindRegistry.ResourceQuotas, "q"))["status"]!["hard"]!.ToJsonString());

        await _host.Api.CreateAsync(KindRegistry.Pods, Ns, Node("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i","resources":{"requests":{"cpu":"500m"}}}]}}"""));
        await _host.WaitUntilAsync(async () => await UsedAsync() == """{"count/configmaps":"0","pods":"1","requests.cpu":"500m"}""", "pod charged");

        var pod = await _host.GetAsync(KindRegistry.Pods, "p");
        pod["status"]!["phase"] = "Succeeded";
        await _host.Api.UpdateAsync(KindRegistry.Pods, Ns, pod, "status");
        await _host.WaitUntilAsync(async () => await UsedAsync() == """{"count/configmaps":"0","pods":"0","requests.cpu":"0"}""", "terminal pod released");
    }
}
