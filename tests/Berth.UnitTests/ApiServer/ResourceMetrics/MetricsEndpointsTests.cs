using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Berth.ApiServer.ResourceMetrics;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Testing.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.ApiServer.ResourceMetrics;

/// <summary>The metrics.k8s.io routes on a real Kestrel, behind the server's error middleware, over a fixed provider.</summary>
public sealed class MetricsEndpointsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 18, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeApiClient _api;
    private readonly FixedProvider _provider = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public MetricsEndpointsTests() => _api = new FakeApiClient(_time);

    public async Task InitializeAsync()
    {
        await _api.CreateAsync(KindRegistry.Nodes, null, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = "vm", ["labels"] = new JsonObject { ["kubernetes.io/os"] = "linux" } },
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IApiClient>(_api);
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddSingleton<IResourceMetricsProvider>(_provider);
        _app = builder.Build();
        _app.UseMiddleware<Berth.Server.Http.ApiErrorMiddleware>();
        _app.MapResourceMetrics();
        await _app.StartAsync().DefaultTimeout();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address + "/apis/metrics.k8s.io/v1beta1/"), Timeout = AsyncTestHelpers.DefaultWait };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task ListPods_AllNamespaces_SortedByNamespaceThenName()
    {
        var (code, list) = await GetAsync("pods");

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("PodMetricsList", (string?)list["kind"]);
        Assert.Equal(["default/web-1", "default/web-2", "other/db"], Names(list));
    }

    [Fact]
    public async Task ListPods_NamespaceAndSelectors_Filter()
    {
        Assert.Equal(["default/web-1", "default/web-2"], Names((await GetAsync("namespaces/default/pods")).Body));
        Assert.Equal(["other/db"], Names((await GetAsync("pods?labelSelector=app%3Ddb")).Body));
        Assert.Equal(["default/web-2"], Names((await GetAsync("pods?fieldSelector=metadata.name%3Dweb-2")).Body));
        Assert.Empty(Names((await GetAsync("namespaces/empty/pods")).Body));
    }

    [Fact]
    public async Task ListPods_UnsupportedFieldOrBadLabelSelector_400()
    {
        var (code, status) = await GetAsync("pods?fieldSelector=spec.nodeName%3Dvm");
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("field label not supported: spec.nodeName", (string?)status["message"]);

        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("pods?labelSelector=a%20in")).Code);
    }

    [Fact]
    public async Task GetPod_KnownAndUnknown_200Or404()
    {
        var (code, pod) = await GetAsync("namespaces/default/pods/web-1");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("2026-11-28T18:00:00Z", (string?)pod["metadata"]!["creationTimestamp"]);
        Assert.Equal("1500u", (string?)pod["containers"]![0]!["usage"]!["cpu"]);

        var (missing, status) = await GetAsync("namespaces/other/pods/web-1");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal("NotFound", (string?)status["reason"]);
        Assert.Equal("podmetrics.metrics.k8s.io \"web-1\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task Nodes_OnlyExistingNodesWithUsage_WithTheirLabels()
    {
        var (_, list) = await GetAsync("nodes");
        var node = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal("vm", (string?)node["metadata"]!["name"]);
        Assert.Equal("linux", (string?)node["metadata"]!["labels"]!["kubernetes.io/os"]);
        Assert.Equal("2", (string?)node["usage"]!["cpu"]);

        Assert.Empty((await GetAsync("nodes?labelSelector=kubernetes.io%2Fos%3Dwindows")).Body["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("nodes/vm")).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("nodes/ghost")).Code);
    }

    [Fact]
    public async Task WatchAndWrites_405()
    {
        var (watch, status) = await GetAsync("pods?watch=true");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, watch);
        Assert.Equal("MethodNotAllowed", (string?)status["reason"]);

        using var delete = await _client.DeleteAsync("namespaces/default/pods/web-1");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        using var post = await _client.PostAsync("nodes", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Table_PodRowSumsContainers()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "namespaces/default/pods");
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/json;as=Table;v=v1;g=meta.k8s.io"));
        using var response = await _client.SendAsync(request);
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal(["Name", "CPU", "Memory", "Window"], table["columnDefinitions"]!.AsArray().Select(c => (string?)c!["name"]));
        var cells = table["rows"]![0]!["cells"]!.AsArray().Select(c => (string?)c).ToList();
        Assert.Equal(["web-1", "2m", "5Mi", "5s"], cells);
    }

    private async Task<(HttpStatusCode Code, JsonObject Body)> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static List<string> Names(JsonObject list) =>
        [.. list["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}")];

    private sealed class FixedProvider : IResourceMetricsProvider
    {
        private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

        public Task<IReadOnlyList<PodUsage>> ListPodUsageAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<PodUsage>>(
        [
            new("other", "db", Labels("db"), Start, Window, [new ContainerUsage("db", 1_000, 1 << 20)]),
            new("default", "web-2", Labels("web"), Start, Window, [new ContainerUsage("web", 3_000_000, 1 << 20)]),
            new("default", "web-1", Labels("web"), Start, Window,
                [new ContainerUsage("web", 1_500_000, 4 << 20), new ContainerUsage("log", 500_000, 1 << 20)]),
        ]);

        public Task<IReadOnlyList<NodeUsage>> ListNodeUsageAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<NodeUsage>>(
            [new("vm", Start, Window, 2_000_000_000, 1L << 30), new("ghost", Start, Window, 1, 1)]);

        private static Dictionary<string, string> Labels(string app) => new() { ["app"] = app };
    }
}
