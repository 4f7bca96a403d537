using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;
using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// kubernetes-termination.md §9 scenario 13 on real processes: during a preStop sleep the EndpointSlice keeps the pod as
/// <c>ready:false, serving:true, terminating:true</c> while the legacy Endpoints object drops its address at once.
/// </summary>
[Trait("Category", "Process")]
public sealed class EndpointsDuringTerminationTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task Delete_ReadyPodBehindServiceWithPreStopSleep_SliceTerminatingServingEndpointsDropsAtOnce()
    {
        var port = NextPort();
        await CreateServiceAsync("shop", port);
        var record = lab.NewRecordFile("shop");
        var app = Recorder("app", record, ("HTTP_PORT", $"{port}")).WithPreStop(Sleep(2));
        app.ReadinessProbe = HttpProbe(port, "/ready");
        var pod = Pod("shop", 5, app);
        pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = "shop" };
        await lab.CreateAsync(pod);
        var ip = (await lab.WaitAsync("shop", p => PodLab.Condition(p, "Ready")?.Status == "True", "ready")).Status.PodIP;
        await AsyncTestHelpers.WaitUntilAsync(async () => (await SliceEndpointAsync(ip))?["conditions"]?["ready"]?.GetValue<bool>() == true,
            because: "ready endpoint in the slice");

        var start = await lab.DeleteAsync("shop");

        await AsyncTestHelpers.WaitUntilAsync(async () => await SliceEndpointAsync(ip) is { } e
            && e["conditions"]?["ready"]?.GetValue<bool>() == false && e["conditions"]?["serving"]?.GetValue<bool>() == true
            && e["conditions"]?["terminating"]?.GetValue<bool>() == true, TimeSpan.FromSeconds(2), "terminating, still serving, during the hook");
        await AsyncTestHelpers.WaitUntilAsync(async () => !(await EndpointsAddressesAsync()).Contains(ip), TimeSpan.FromSeconds(2),
            "legacy Endpoints drop the terminating address");
        Tolerances.At(2.0, start, (await record.WaitForAsync("SIGTERM")).At, "SIGTERM after the 2 s hook");
        await lab.WaitGoneAsync("shop");
        await AsyncTestHelpers.WaitUntilAsync(async () => await SliceEndpointAsync(ip) is null, because: "endpoint removed");
    }

    private async Task CreateServiceAsync(string name, int port)
    {
        var service = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["app"] = name },
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = port }),
            },
        };
        await lab.Api.CreateAsync(KindRegistry.Services, PodLab.Ns, service).DefaultTimeout();
    }

    private async Task<JsonObject?> SliceEndpointAsync(string ip)
    {
        var slices = await lab.Api.ListAsync(KindRegistry.EndpointSlices, PodLab.Ns,
            new ListOptions(LabelSelector: "kubernetes.io/service-name=shop")).DefaultTimeout();
        return slices.Items.SelectMany(s => s["endpoints"]?.AsArray() ?? [])
            .Select(e => e!.AsObject())
            .FirstOrDefault(e => e["addresses"]?.AsArray().Any(a => (string?)a == ip) == true);
    }

    private async Task<IReadOnlyList<string>> EndpointsAddressesAsync()
    {
        var endpoints = await lab.Api.GetAsync(KindRegistry.Endpoints, PodLab.Ns, "shop").DefaultTimeout();
        return [.. (endpoints["subsets"]?.AsArray() ?? []).SelectMany(s => s!["addresses"]?.AsArray() ?? [])
            .Select(a => (string?)a!["ip"] ?? "")];
    }
}
