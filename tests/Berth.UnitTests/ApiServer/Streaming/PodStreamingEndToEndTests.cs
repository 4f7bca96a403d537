using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Streaming;
using Berth.UnitTests.Kubelet.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>The HTTP endpoints over the in-process kubelet backend and a real process runtime: real children, real sockets.</summary>
[Trait("Category", "Process")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PodStreamingEndToEndTests : IAsyncLifetime
{
    private readonly RuntimeHarness _h = new();
    private StreamingTestHost _host = null!;

    public async Task InitializeAsync()
    {
        var backend = new KubeletStreamingBackend(_h.Runtime, new ProcessStreamingRuntime(_h.Runtime, TimeProvider.System),
            _h.LogDirectory, 5, TimeProvider.System, NullLogger<KubeletStreamingBackend>.Instance);
        _host = await StreamingTestHost.StartAsync(backend);
        await _host.CreatePodAsync("web", ["app"]);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _h.Dispose();
    }

    [Fact]
    public async Task Exec_V5RealCommand_OutputAndExitCode()
    {
        await StartContainerAsync("sleep 30");
        using var socket = await _host.ConnectExecAsync("web",
            "command=/bin/sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%207&stdout=true&stderr=true", "v5.channel.k8s.io");

        var (messages, close) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("out\n", ChannelFrames.Channel(messages, 1));
        Assert.Equal("err\n", ChannelFrames.Channel(messages, 2));
        var status = ChannelFrames.Status(messages);
        Assert.Equal("command terminated with non-zero exit code: error executing command [/bin/sh -c echo out; echo err >&2; exit 7], exit code 7",
            (string?)status["message"]);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, close);
    }

    [Fact]
    public async Task Exec_V5StdinToCat_EchoedThenCloseSignalEnds()
    {
        await StartContainerAsync("sleep 30");
        using var socket = await _host.ConnectExecAsync("web", "command=cat&stdin=true&stdout=true&stderr=true", "v5.channel.k8s.io");

        await ChannelFrames.SendAsync(socket, 0, "ping\n");
        await ChannelFrames.SendAsync(socket, 255, [0]);
        var (messages, _) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Equal("ping\n", ChannelFrames.Channel(messages, 1));
        Assert.Equal("Success", (string?)ChannelFrames.Status(messages)["status"]);
    }

    [Fact]
    public async Task Exec_V4TtyResize_SttySize()
    {
        await StartContainerAsync("sleep 30");
        using var socket = await _host.ConnectExecAsync("web",
            "command=/bin/sh&command=-c&command=while%20%5B%20%22%24(stty%20size)%22%20%3D%20%220%200%22%20%5D%3B%20do%20sleep%200.05%3B%20done%3B%20tty%3B%20stty%20size"
            + "&stdin=true&stdout=true&tty=true", "v4.channel.k8s.io");

        await ChannelFrames.SendAsync(socket, 4, """{"Width":100,"Height":30}""");
        var (messages, _) = await ChannelFrames.ReadAllAsync(socket);

        Assert.Matches(@"^/dev/pts/\d+\r\n30 100\r\n$", ChannelFrames.Channel(messages, 1));
        Assert.Equal("Success", (string?)ChannelFrames.Status(messages)["status"]);
    }

    [Fact]
    public async Task Log_FollowOverHttp_StreamsUntilContainerExits()
    {
        await StartContainerAsync("echo one; sleep 0.5; echo two");

        using var response = await _host.Client.GetAsync("/api/v1/namespaces/default/pods/web/log?follow=true&timestamps=true",
            HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        var text = await response.Content.ReadAsStringAsync().DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z one\n\S+Z two\n$", text);
    }

    [Fact]
    public async Task Log_WaitingContainer_BadRequestStatus()
    {
        await _host.SetContainerStatusesAsync("web", new JsonArray(new JsonObject
        {
            ["name"] = "app", ["image"] = "busybox", ["imageID"] = "", ["ready"] = false, ["restartCount"] = 0,
            ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
        }));

        await PodLogEndpointTests.AssertStatusAsync(await _host.Client.GetAsync("/api/v1/namespaces/default/pods/web/log").DefaultTimeout(),
            400, "BadRequest", "container \"app\" in pod \"web\" is waiting to start: ContainerCreating");
    }

    private async Task StartContainerAsync(string script)
    {
        var uid = await _host.PodUidAsync("web");
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", script) with { PodUid = uid });
        await _host.SetContainerStatusesAsync("web", new JsonArray(new JsonObject
        {
            ["name"] = "app", ["image"] = "busybox", ["imageID"] = "", ["ready"] = true, ["restartCount"] = 0,
            ["containerID"] = id.ToUri(),
            ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:00Z" } },
        }));
    }
}
