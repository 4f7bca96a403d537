using System.Net;

namespace Berth.UnitTests.ApiServer.Streaming.PortForward;

/// <summary>The errors <c>pods/portforward</c> answers before any upgrade, as Status replies (never a 500).</summary>
public sealed class PodPortForwardEndpointTests : IAsyncLifetime
{
    private StreamingTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StreamingTestHost.StartAsync(null);
        await _host.CreatePodAsync("web", ["app"]);
        await _host.CreatePodAsync("pending", ["app"], scheduled: false);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("missing", "", HttpStatusCode.NotFound, "pods \"missing\" not found")]
    [InlineData("pending", "", HttpStatusCode.BadRequest, "pod pending does not have a host assigned")]
    [InlineData("web", "", HttpStatusCode.BadRequest, "pod web does not have an IP address yet")]
    public async Task PortForward_BeforeTheUpgrade_StatusReply(string pod, string upgrade, HttpStatusCode code, string message)
    {
        using var response = await SendAsync(pod, upgrade, []);

        Assert.Equal(code, response.StatusCode);
        Assert.Contains(message, await MessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortForward_PlainRequestToARunningPod_UpgradeRequired()
    {
        await SetPodIpAsync();

        using var response = await SendAsync("web", "", []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Upgrade request required", await MessageAsync(response));
    }

    [Fact]
    public async Task PortForward_WebSocketWithoutTheTunnelProtocol_BadRequestSoKubectlFallsBack()
    {
        await SetPodIpAsync();

        using var response = await SendAsync("web", "websocket", [("Sec-WebSocket-Protocol", "v4.channel.k8s.io"),
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("requested protocol(s) are not supported: [v4.channel.k8s.io]; supports [SPDY/3.1+portforward.k8s.io]",
            await MessageAsync(response));
    }

    [Fact]
    public async Task PortForward_SpdyWithAnotherStreamProtocol_BadRequest()
    {
        await SetPodIpAsync();

        using var response = await SendAsync("web", "SPDY/3.1", [("X-Stream-Protocol-Version", "v4.channel.k8s.io")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("supports [portforward.k8s.io]", await MessageAsync(response), StringComparison.Ordinal);
    }

    private static async Task<string> MessageAsync(HttpResponseMessage response) =>
        (string)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!;

    private async Task SetPodIpAsync()
    {
        var pod = await _host.Api.GetAsync(Berth.Machinery.Kinds.KindRegistry.Pods, "default", "web");
        pod["status"] = new System.Text.Json.Nodes.JsonObject { ["phase"] = "Running", ["podIP"] = "127.0.0.1" };
        await _host.Api.UpdateAsync(Berth.Machinery.Kinds.KindRegistry.Pods, "default", pod, "status");
    }

    private async Task<HttpResponseMessage> SendAsync(string pod, string upgrade, (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(upgrade.StartsWith("SPDY", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get,
            $"/api/v1/namespaces/default/pods/{pod}/portforward");
        if (upgrade.Length > 0)
        {
            request.Headers.Connection.Add("Upgrade");
            request.Headers.TryAddWithoutValidation("Upgrade", upgrade);
        }
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await _host.Client.SendAsync(request).DefaultTimeout();
    }
}
