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
    public async Task PortForward_WebSocketWithAnUnknownProtocol_BadRequestSoKubectlFallsBack()
    {
        await SetPodIpAsync();

        using var response = await SendAsync("web", "websocket", [("Sec-WebSocket-Protocol", "v5.channel.k8s.io"),
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("requested protocol(s) are not supported: [v5.channel.k8s.io]; supports " +
            "[SPDY/3.1+portforward.k8s.io v4.channel.k8s.io v4.base64.channel.k8s.io]", await MessageAsync(response));
    }

    [Theory]
    [InlineData("", "query parameter \"ports\" is required")]
    [InlineData("?ports=http", "invalid value \"http\" for query parameter \"ports\"")]
    [InlineData("?ports=80,70000", "invalid value \"70000\" for query parameter \"ports\"")]
    public async Task PortForward_ChannelProtocolWithBadPorts_BadRequest(string query, string message)
    {
        await SetPodIpAsync();

        using var response = await SendAsync("web", "websocket", [("Sec-WebSocket-Protocol", "v4.channel.k8s.io"),
            ("Sec-WebSocket-Version", "13"), ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")], query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, await MessageAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortForward_OfficialCSharpClient_EchoesThroughTheChannelProtocol()
    {
        await SetPodIpAsync();
        using var echo = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var port = ((IPEndPoint)echo.LocalEndpoint).Port;
        var serving = EchoOnceAsync(echo);
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = _host.BaseAddress.ToString() });

        using var socket = await client.WebSocketNamespacedPodPortForwardAsync("web", "default", [port], "v4.channel.k8s.io").DefaultTimeout();
        using var demuxer = new k8s.StreamDemuxer(socket, k8s.StreamType.PortForward);
        demuxer.Start();
        var stream = demuxer.GetStream((byte?)0, (byte?)0);
        await stream.WriteAsync("ping through the channel protocol"u8.ToArray()).AsTask().DefaultTimeout();
        var buffer = new byte[64];
        var received = new System.Text.StringBuilder();
        while (received.Length < 33)
        {
            var read = await stream.ReadAsync(buffer).AsTask().DefaultTimeout();
            received.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.Equal("ping through the channel protocol", received.ToString());
        await serving.DefaultTimeout();
    }

    private static async Task EchoOnceAsync(System.Net.Sockets.TcpListener listener)
    {
        using var connection = await listener.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        var buffer = new byte[64];
        var total = 0;
        while (total < 33)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total));
            if (read == 0)
            {
                return;
            }
            total += read;
        }
        await stream.WriteAsync(buffer.AsMemory(0, total));
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

    private async Task<HttpResponseMessage> SendAsync(string pod, string upgrade, (string Name, string Value)[] headers, string query = "")
    {
        using var request = new HttpRequestMessage(upgrade.StartsWith("SPDY", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get,
            $"/api/v1/namespaces/default/pods/{pod}/portforward{query}");
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
