using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>
/// pods/attach at the API layer with a scripted backend: the channel protocol and final Success status, the
/// session's tty taken from the container spec, and the Status replies for bad requests before the upgrade.
/// </summary>
public sealed class PodAttachEndpointTests : IAsyncLifetime
{
    private readonly ScriptedBackend _backend = new();
    private StreamingTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StreamingTestHost.StartAsync(_backend);
        await _host.CreatePodAsync("web", ["app"]);
        await _host.CreatePodAsync("pending", ["app"], scheduled: false);
        var container = new JsonObject { ["name"] = "app", ["image"] = "busybox", ["stdin"] = true, ["tty"] = true };
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "term" },
            ["spec"] = new JsonObject { ["nodeName"] = "node-1", ["containers"] = new JsonArray(container) },
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Attach_V5_OutputOnChannelsThenSuccessStatus()
    {
        _backend.Attach = async (s, ct) =>
        {
            await s.Stdout!.WriteAsync("out\n"u8.ToArray(), ct);
            await s.Stderr!.WriteAsync("err\n"u8.ToArray(), ct);
        };
        using var socket = await _host.ConnectAsync("web", "attach", "container=app&stdout=true&stderr=true", "v5.channel.k8s.io");

        var (messages, close) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("out\n", ChannelFrames.Channel(messages, 1));
        Assert.Equal("err\n", ChannelFrames.Channel(messages, 2));
        Assert.Equal("""{"metadata":{},"status":"Success"}""", messages[^1].Text);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
        Assert.Equal(new Berth.ApiServer.Streaming.PodAttachOptions("app", false, true, true, false), _backend.LastAttachOptions);
    }

    [Fact]
    public async Task Attach_StdinThenCloseSignal_BackendReadsToEnd()
    {
        _backend.Attach = async (s, ct) =>
        {
            using var reader = new StreamReader(s.Stdin!);
            var text = await reader.ReadToEndAsync(ct);
            await s.Stdout!.WriteAsync(System.Text.Encoding.UTF8.GetBytes("got:" + text), ct);
        };
        using var socket = await _host.ConnectAsync("web", "attach", "stdin=true&stdout=true&stderr=true", "v5.channel.k8s.io");

        await ChannelFrames.SendAsync(socket, 0, "abc");
        await ChannelFrames.SendAsync(socket, 255, [0]);
        var (messages, _) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("got:abc", ChannelFrames.Channel(messages, 1));
        Assert.Equal("Success", (string?)ChannelFrames.Status(messages)["status"]);
    }

    [Fact]
    public async Task Attach_TtyContainer_SessionHasTheSpecTtyAndResizes()
    {
        var sizes = new List<Berth.ApiServer.Streaming.TerminalSize>();
        _backend.Attach = async (s, ct) =>
        {
            Assert.Null(s.Stderr);
            await foreach (var size in s.ResizeEventsAsync(ct))
            {
                sizes.Add(size);
                break;
            }
        };
        using var socket = await _host.ConnectAsync("term", "attach", "stdin=true&stdout=true&tty=true", "v5.channel.k8s.io");

        await ChannelFrames.SendAsync(socket, 4, """{"Width":80,"Height":24}""");
        var (messages, _) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("Success", (string?)ChannelFrames.Status(messages)["status"]);
        Assert.Equal([new Berth.ApiServer.Streaming.TerminalSize(80, 24)], sizes);
        Assert.True(_backend.LastAttachOptions!.Tty);
    }

    [Fact]
    public async Task Attach_TtyContainerAskedForStderr_BadRequest() =>
        await PodLogEndpointTests.AssertStatusAsync(await GetAsync("term", "stdout=true&stderr=true"), 400, "BadRequest",
            "tty and stderr cannot both be true");

    [Fact]
    public async Task Attach_NoStream_BadRequest() =>
        await PodLogEndpointTests.AssertStatusAsync(await GetAsync("web", "tty=true"), 400, "BadRequest",
            "you must specify at least 1 of stdin, stdout, stderr");

    [Fact]
    public async Task Attach_UnknownContainer_BadRequest() =>
        await PodLogEndpointTests.AssertStatusAsync(await GetAsync("web", "container=x&stdout=true"), 400, "BadRequest",
            "container x is not valid for pod web");

    [Fact]
    public async Task Attach_UnknownPod_NotFound() =>
        await PodLogEndpointTests.AssertStatusAsync(await GetAsync("nope", "stdout=true"), 404, "NotFound", "pods \"nope\" not found");

    [Fact]
    public async Task Attach_Unscheduled_BadRequest() =>
        await PodLogEndpointTests.AssertStatusAsync(await GetAsync("pending", "stdout=true"), 400, "BadRequest",
            "pod pending does not have a host assigned");

    [Fact]
    public async Task Attach_PlainGet_UpgradeRequired() =>
        await PodLogEndpointTests.AssertStatusAsync(await GetAsync("web", "stdout=true"), 400, "BadRequest", "Upgrade request required");

    private Task<HttpResponseMessage> GetAsync(string pod, string query) =>
        _host.Client.GetAsync($"/api/v1/namespaces/default/pods/{pod}/attach?{query}").DefaultTimeout();
}
