using System.Net;
using System.Net.WebSockets;
using Berth.Testing.Server;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>The streaming routes in the real server host sit behind the global bearer-token middleware.</summary>
public sealed class PodStreamingAuthTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    [Fact]
    public async Task Log_WithoutToken_Unauthorized()
    {
        using var client = fixture.Host.CreateHttpClient(authenticated: false);

        using var response = await client.GetAsync("/api/v1/namespaces/default/pods/web/log").DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Exec_WebSocketWithoutToken_RefusedWith401()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v5.channel.k8s.io");
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var uri = new UriBuilder(fixture.Host.BaseAddress) { Scheme = "wss", Path = "/api/v1/namespaces/default/pods/web/exec", Query = "command=ls&stdout=true" }.Uri;

        var e = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout());

        Assert.Contains("401", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_WithToken_ReachesTheStreamingEndpoint()
    {
        using var client = fixture.Host.CreateHttpClient();

        using var response = await client.GetAsync("/api/v1/namespaces/default/pods/missing-pod/log").DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("pods \"missing-pod\" not found", (string?)status["message"]);
    }
}
