using System.Net;
using System.Net.WebSockets;
using System.Text;
using Berth.Machinery.Errors;

namespace Berth.UnitTests.ApiServer.Streaming;

public sealed class PodExecEndpointTests : IAsyncLifetime
{
    private const string Query = "command=sh&command=-c&command=echo%20hi&container=app&stdout=true&stderr=true";

    private readonly ScriptedBackend _backend = new();
    private StreamingTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StreamingTestHost.StartAsync(_backend);
        await _host.CreatePodAsync("web", ["app"]);
        await _host.CreatePodAsync("pending", ["app"], scheduled: false);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Exec_V5_OutputOnChannelsThenSuccessStatusAndNormalClose()
    {
        _backend.Exec = async (s, ct) =>
        {
            await s.Stdout!.WriteAsync("hi\n"u8.ToArray(), ct);
            await s.Stderr!.WriteAsync("oops\n"u8.ToArray(), ct);
            return 0;
        };
        using var socket = await _host.ConnectExecAsync("web", Query, "v5.channel.k8s.io");

        var (messages, close) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("v5.channel.k8s.io", socket.SubProtocol);
        Assert.Equal((1, ""), messages[0]);
        Assert.Equal("hi\n", ChannelFrames.Channel(messages, 1));
        Assert.Equal("oops\n", ChannelFrames.Channel(messages, 2));
        Assert.Equal("""{"metadata":{},"status":"Success"}""", messages[^1].Text);
        Assert.Equal(3, messages[^1].Channel);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        Assert.Equal(["sh", "-c", "echo hi"], _backend.LastExecOptions!.Command);
    }

    [Fact]
    public async Task Exec_NonZeroExit_NonZeroExitCodeStatusWithExitCodeCause()
    {
        _backend.Exec = (_, _) => Task.FromResult(3);
        using var socket = await _host.ConnectExecAsync("web", Query, "v5.channel.k8s.io");

        var status = ChannelFrames.Status((await ChannelFrames.ReadAllAsync(socket)).Messages);

        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("NonZeroExitCode", (string?)status["reason"]);
        Assert.Equal("command terminated with non-zero exit code: error executing command [sh -c echo hi], exit code 3", (string?)status["message"]);
        Assert.Equal("ExitCode", (string?)status["details"]!["causes"]![0]!["reason"]);
        Assert.Equal("3", (string?)status["details"]!["causes"]![0]!["message"]);
    }

    [Fact]
    public async Task Exec_V5Stdin_DataThenCloseSignalEndsStdin()
    {
        _backend.Exec = async (s, ct) =>
        {
            using var reader = new StreamReader(s.Stdin!);
            var all = await reader.ReadToEndAsync(ct);
            await s.Stdout!.WriteAsync(Encoding.UTF8.GetBytes(all.ToUpperInvariant()), ct);
            return 0;
        };
        using var socket = await _host.ConnectExecAsync("web", Query + "&stdin=true", "v5.channel.k8s.io");

        await ChannelFrames.SendAsync(socket, 0, "abc");
        await ChannelFrames.SendAsync(socket, 0, "def");
        await ChannelFrames.SendAsync(socket, 255, [0]);
        var (messages, _) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("ABCDEF", ChannelFrames.Channel(messages, 1));
    }

    [Fact]
    public async Task Exec_V4_SameFramingAndStatus()
    {
        _backend.Exec = async (s, ct) =>
        {
            await s.Stdout!.WriteAsync("v4\n"u8.ToArray(), ct);
            return 7;
        };
        using var socket = await _host.ConnectExecAsync("web", Query, "v4.channel.k8s.io");

        var (messages, close) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("v4.channel.k8s.io", socket.SubProtocol);
        Assert.Equal("v4\n", ChannelFrames.Channel(messages, 1));
        Assert.Equal("7", (string?)ChannelFrames.Status(messages)["details"]!["causes"]![0]!["message"]);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
    }

    [Fact]
    public async Task Exec_V4Base64_TextMessagesWithDigitChannel()
    {
        _backend.Exec = async (s, ct) =>
        {
            await s.Stdout!.WriteAsync("b64\n"u8.ToArray(), ct);
            return 0;
        };
        using var socket = await _host.ConnectExecAsync("web", Query, "v4.base64.channel.k8s.io");

        var (messages, _) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("b64\n", ChannelFrames.Channel(messages, 1));
        Assert.Equal("Success", (string?)ChannelFrames.Status(messages)["status"]);
    }

    [Fact]
    public async Task Exec_ClientPreferenceOrder_FirstSupportedWins()
    {
        using var socket = await _host.ConnectExecAsync("web", Query, "v4.channel.k8s.io", "v5.channel.k8s.io");

        Assert.Equal("v4.channel.k8s.io", socket.SubProtocol);
        await ChannelFrames.ReadAllAsync(socket);
    }

    [Fact]
    public async Task Exec_TtyResize_DeliveredToBackendAndStderrDropped()
    {
        var sizes = new List<Berth.ApiServer.Streaming.TerminalSize>();
        _backend.Exec = async (s, ct) =>
        {
            Assert.Null(s.Stderr);
            await foreach (var size in s.ResizeEventsAsync(ct))
            {
                sizes.Add(size);
                if (sizes.Count == 2)
                {
                    break;
                }
            }
            return 0;
        };
        using var socket = await _host.ConnectExecAsync("web", Query + "&stdin=true&tty=true", "v5.channel.k8s.io");

        await ChannelFrames.SendAsync(socket, 4, """{"Width":80,"Height":24}""");
        await ChannelFrames.SendAsync(socket, 4, "not json");
        await ChannelFrames.SendAsync(socket, 4, """{"Width":120,"Height":40}""");
        await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal(new Berth.ApiServer.Streaming.TerminalSize[] { new(80, 24), new(120, 40) }, sizes);
        Assert.False(_backend.LastExecOptions!.Stderr);
    }

    [Fact]
    public async Task Exec_ErrorAfterAccept_FailureStatusOnStatusChannel()
    {
        _backend.Exec = (_, _) => throw ApiErrors.BadRequest("container is gone");
        using var socket = await _host.ConnectExecAsync("web", Query, "v5.channel.k8s.io");

        var status = ChannelFrames.Status((await ChannelFrames.ReadAllAsync(socket)).Messages);

        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal("container is gone", (string?)status["message"]);
    }

    [Fact]
    public async Task Exec_UnexpectedErrorAfterAccept_InternalErrorAsUpstreamWordsIt()
    {
        // The kubelet's ServeExec wraps the runtime error and sends NewInternalError: kubectl prints
        // "error: Internal error occurred: error executing command in container: …".
        _backend.Exec = (_, _) => throw new IOException("spawn failed");
        using var socket = await _host.ConnectExecAsync("web", Query, "v5.channel.k8s.io");

        var status = ChannelFrames.Status((await ChannelFrames.ReadAllAsync(socket)).Messages);

        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.Equal("Internal error occurred: error executing command in container: spawn failed", (string?)status["message"]);
    }

    [Fact]
    public async Task Exec_ClientAborts_BackendCancelled()
    {
        _backend.Exec = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        };
        var socket = await _host.ConnectExecAsync("web", Query, "v5.channel.k8s.io");
        await ChannelFrames.ReceiveAsync(socket).DefaultTimeout();

        socket.Abort();
        socket.Dispose();

        await _backend.ExecCancelled.Task.DefaultTimeout();
    }

    [Fact]
    public async Task Exec_ValidationFailure_PlainStatusInsteadOfUpgrade()
    {
        _backend.RejectBeforeAccept = ApiErrors.BadRequest("container not found (\"app\")");

        var e = await Assert.ThrowsAsync<WebSocketException>(() => _host.ConnectExecAsync("web", Query, "v5.channel.k8s.io"));

        Assert.Contains("400", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_PlainGet_UpgradeRequired() =>
        await PodLogEndpointTests.AssertStatusAsync(await _host.Client.GetAsync(ExecPath("web", Query)).DefaultTimeout(),
            400, "BadRequest", "Upgrade request required");

    [Fact]
    public async Task Exec_SpdyUpgrade_RefusedAfterBackendValidation()
    {
        await PodLogEndpointTests.AssertStatusAsync(await SpdyAsync("web"), 400, "BadRequest",
            "unable to upgrade connection: SPDY/3.1 is not supported by this server; use a WebSocket client (kubectl 1.30 or newer, subprotocol v5.channel.k8s.io)");
        _backend.RejectBeforeAccept = ApiErrors.BadRequest("container not found (\"app\")");

        await PodLogEndpointTests.AssertStatusAsync(await SpdyAsync("web"), 400, "BadRequest", "container not found (\"app\")");
    }

    [Fact]
    public async Task Exec_UnsupportedSubprotocol_BadRequest()
    {
        using var request = WebSocketRequest("web", Query, "channel.k8s.io");

        await PodLogEndpointTests.AssertStatusAsync(await _host.Client.SendAsync(request).DefaultTimeout(), 400, "BadRequest",
            "requested protocol(s) are not supported: [channel.k8s.io]; supports [v5.channel.k8s.io v4.channel.k8s.io v4.base64.channel.k8s.io]");
    }

    [Theory]
    [InlineData("pending", Query, "pod pending does not have a host assigned")]
    [InlineData("web", "container=app&stdout=true", "you must specify at least one command for the container")]
    [InlineData("web", "command=ls&container=app", "you must specify at least 1 of stdin, stdout, stderr")]
    [InlineData("web", "command=ls&container=x&stdout=true", "container x is not valid for pod web")]
    public async Task Exec_BadRequests_UpstreamMessages(string pod, string query, string message)
    {
        using var request = WebSocketRequest(pod, query, "v5.channel.k8s.io");

        await PodLogEndpointTests.AssertStatusAsync(await _host.Client.SendAsync(request).DefaultTimeout(), 400, "BadRequest", message);
    }

    [Fact]
    public async Task Exec_UnknownPod_NotFound()
    {
        using var request = WebSocketRequest("nope", Query, "v5.channel.k8s.io");

        await PodLogEndpointTests.AssertStatusAsync(await _host.Client.SendAsync(request).DefaultTimeout(), 404, "NotFound", "pods \"nope\" not found");
    }

    private static string ExecPath(string pod, string query) => $"/api/v1/namespaces/default/pods/{pod}/exec?{query}";

    private static HttpRequestMessage WebSocketRequest(string pod, string query, string protocol)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, ExecPath(pod, query));
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", Convert.ToBase64String(new byte[16]));
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Protocol", protocol);
        return request;
    }

    private Task<HttpResponseMessage> SpdyAsync(string pod)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, ExecPath(pod, Query)) { Content = new ByteArrayContent([]) };
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "SPDY/3.1");
        request.Headers.TryAddWithoutValidation("X-Stream-Protocol-Version", "v4.channel.k8s.io");
        return _host.Client.SendAsync(request).DefaultTimeout();
    }
}
