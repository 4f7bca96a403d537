using System.Net;
using System.Text.Json.Nodes;

namespace Berth.UnitTests.ApiServer.Streaming;

public sealed class PodLogEndpointTests : IAsyncLifetime
{
    private readonly ScriptedBackend _backend = new();
    private StreamingTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StreamingTestHost.StartAsync(_backend);
        await _host.CreatePodAsync("web", ["app"]);
        await _host.CreatePodAsync("multi", ["a", "b"], initContainers: ["init"]);
        await _host.CreatePodAsync("pending", ["app"], scheduled: false);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Log_SingleContainer_TextPlainFromBackendWithDefaultedContainer()
    {
        using var response = await GetAsync("web", "");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("hello from the log\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(new Berth.ApiServer.Streaming.PodLogOptions("app"), _backend.LastLogOptions);
    }

    [Fact]
    public async Task Log_AllParameters_ParsedAsKubectlSendsThem()
    {
        var before = DateTimeOffset.UtcNow;
        using var response = await GetAsync("multi", "container=b&follow=true&previous=1&timestamps=true&tailLines=5&limitBytes=100&sinceSeconds=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var o = _backend.LastLogOptions!;
        Assert.Equal(("b", true, true, true, 5L, 100L), (o.Container, o.Follow, o.Previous, o.Timestamps, o.TailLines, o.LimitBytes));
        Assert.InRange(o.SinceTime!.Value, before.AddSeconds(-61), DateTimeOffset.UtcNow.AddSeconds(-59));
    }

    [Fact]
    public async Task Log_SinceTime_Rfc3339()
    {
        using var response = await GetAsync("web", "sinceTime=2026-01-02T03:04:05Z&follow=false");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), _backend.LastLogOptions!.SinceTime);
        Assert.False(_backend.LastLogOptions.Follow);
    }

    [Fact]
    public async Task Log_UnknownPod_NotFoundStatus() =>
        await AssertStatusAsync(await GetAsync("nope", ""), 404, "NotFound", "pods \"nope\" not found");

    [Fact]
    public async Task Log_SeveralContainersNoParameter_BadRequestListsChoices() =>
        await AssertStatusAsync(await GetAsync("multi", ""), 400, "BadRequest",
            "a container name must be specified for pod multi, choose one of: [a b] or one of the init containers: [init]");

    [Fact]
    public async Task Log_UnknownContainer_BadRequest() =>
        await AssertStatusAsync(await GetAsync("web", "container=x"), 400, "BadRequest", "container x is not valid for pod web");

    [Fact]
    public async Task Log_InitContainer_Accepted()
    {
        using var response = await GetAsync("multi", "container=init");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("init", _backend.LastLogOptions!.Container);
    }

    [Theory]
    [InlineData("tailLines=-1", "PodLogOptions \"web\" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("limitBytes=0", "PodLogOptions \"web\" is invalid: limitBytes: Invalid value: 0: must be greater than 0")]
    [InlineData("sinceSeconds=0", "PodLogOptions \"web\" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0")]
    public async Task Log_InvalidOptions_Invalid422(string query, string message) =>
        await AssertStatusAsync(await GetAsync("web", query), 422, "Invalid", message);

    [Fact]
    public async Task Log_SinceSecondsAndSinceTime_Forbidden() =>
        await AssertStatusAsync(await GetAsync("web", "sinceSeconds=5&sinceTime=2026-01-02T03:04:05Z"), 422, "Invalid",
            "PodLogOptions \"web\" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");

    [Theory]
    [InlineData("tailLines=ten")]
    [InlineData("sinceTime=yesterday")]
    public async Task Log_UnparseableParameter_BadRequest(string query)
    {
        using var response = await GetAsync("web", query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Log_UnscheduledPod_EmptyOk()
    {
        using var response = await GetAsync("pending", "");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Null(_backend.LastLogOptions);
    }

    [Fact]
    public async Task Log_NoBackend_ServiceUnavailable()
    {
        await using var host = await StreamingTestHost.StartAsync(backend: null);
        await host.CreatePodAsync("web", ["app"]);

        using var response = await host.Client.GetAsync("/api/v1/namespaces/default/pods/web/log").DefaultTimeout();

        await AssertStatusAsync(response, 503, "ServiceUnavailable", "no node agent is serving node \"node-1\"");
    }

    [Fact]
    public async Task Pod_PlainGet_StillServedByResourceApi()
    {
        using var response = await _host.Client.GetAsync("/api/v1/namespaces/default/pods/web").DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("web", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["metadata"]!["name"]);
    }

    private Task<HttpResponseMessage> GetAsync(string pod, string query) =>
        _host.Client.GetAsync($"/api/v1/namespaces/default/pods/{pod}/log?{query}").DefaultTimeout();

    internal static async Task AssertStatusAsync(HttpResponseMessage response, int code, string reason, string message)
    {
        using (response)
        {
            Assert.Equal(code, (int)response.StatusCode);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("Status", (string?)status["kind"]);
            Assert.Equal(reason, (string?)status["reason"]);
            Assert.Equal(message, (string?)status["message"]);
        }
    }
}
