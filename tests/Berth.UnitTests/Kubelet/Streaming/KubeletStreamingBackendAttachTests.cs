using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Streaming;
using Berth.Machinery.Errors;
using Berth.UnitTests.Kubelet.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Streaming;

/// <summary>
/// pods/attach on the node agent with real containers under the native shim: live output only (not what the log
/// already holds), stdin held open between sessions, stdinOnce closing it after the first session, input to a
/// container without stdin ignored, and a terminal with resizes.
/// </summary>
[Trait("Category", "Process")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubeletStreamingBackendAttachTests : IDisposable
{
    private readonly RuntimeHarness _h = new();
    private readonly KubeletStreamingBackend _backend;

    public KubeletStreamingBackendAttachTests() =>
        _backend = new KubeletStreamingBackend(_h.Runtime, new ProcessStreamingRuntime(_h.Runtime, TimeProvider.System),
            _h.LogDirectory, 5, TimeProvider.System, NullLogger<KubeletStreamingBackend>.Instance);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Attach_RunningContainer_StreamsOnlyOutputFromNowUntilItExits()
    {
        var go = _h.Scratch("go");
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", $"echo early; while [ ! -f {go} ]; do sleep 0.05; done; echo late"));
        var log = (await _h.Runtime.GetContainerStatusAsync(id)).LogPath;
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("early", StringComparison.Ordinal),
            because: "the first line reached the log before the attach");
        var streams = new FakeExecStreams();

        var attach = AttachAsync(id, streams);
        await AsyncTestHelpers.WaitUntilAsync(() => streams.Accepts == 1, because: "the session was accepted");
        File.WriteAllText(go, "");

        await attach.DefaultTimeout();
        Assert.Equal("late\n", streams.Out!.Text);
        Assert.Contains("late", File.ReadAllText(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_StdinOnce_InputReachesTheAppAndEndOfInputClosesItsStdin()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "cat; echo done") with { Stdin = true, StdinOnce = true });
        var streams = new FakeExecStreams(stdin: true);

        var attach = AttachAsync(id, streams, stdin: true);
        await streams.TypeAsync("hello\n");
        await AsyncTestHelpers.WaitUntilAsync(() => streams.Out!.Text == "hello\n", because: "cat echoed the input");
        streams.CloseStdin();

        await attach.DefaultTimeout();
        Assert.Equal("hello\ndone\n", streams.Out!.Text);
        Assert.Equal(0, (await _h.WaitExitedAsync(id)).ExitCode);
    }

    [Fact]
    public async Task Attach_StdinWithoutOnce_EndOfInputEndsTheSessionAndTheAppKeepsItsStdin()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "while read l; do echo got:$l; done; echo eof") with { Stdin = true });
        var first = new FakeExecStreams(stdin: true);
        var second = new FakeExecStreams(stdin: true);

        var attach = AttachAsync(id, first, stdin: true);
        await first.TypeAsync("a\n");
        await AsyncTestHelpers.WaitUntilAsync(() => first.Out!.Text == "got:a\n", because: "the app read the line");
        first.CloseStdin();
        await attach.DefaultTimeout();
        var again = AttachAsync(id, second, stdin: true);
        await second.TypeAsync("b\n");
        await AsyncTestHelpers.WaitUntilAsync(() => second.Out!.Text == "got:b\n", because: "the app still reads its stdin");
        second.CloseStdin();
        await again.DefaultTimeout();

        Assert.Equal(ContainerState.Running, (await _h.Runtime.GetContainerStatusAsync(id)).State);
    }

    [Fact]
    public async Task Attach_AfterAnAgentRestart_TheAdoptedContainerStillReadsItsStdin()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "while read l; do echo got:$l; done") with { Stdin = true });
        _h.Runtime.Dispose();
        var runtime = _h.Restart();
        var backend = new KubeletStreamingBackend(runtime, new ProcessStreamingRuntime(runtime, TimeProvider.System),
            _h.LogDirectory, 5, TimeProvider.System, NullLogger<KubeletStreamingBackend>.Instance);
        var streams = new FakeExecStreams(stdin: true);

        var attach = backend.AttachAsync(StreamingPods.Pod(StreamingPods.Running(id)), new PodAttachOptions("app", true, true, true, false),
            streams, CancellationToken.None);
        await streams.TypeAsync("after\n");
        await AsyncTestHelpers.WaitUntilAsync(() => streams.Out!.Text == "got:after\n", because: "the shim kept stdin across the restart");
        streams.CloseStdin();

        await attach.DefaultTimeout();
        Assert.Equal(ContainerState.Running, (await runtime.GetContainerStatusAsync(id)).State);
    }

    [Fact]
    public async Task Attach_ContainerWithoutStdin_InputIsIgnoredAndTheSessionLastsUntilExit()
    {
        var go = _h.Scratch("go");
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", $"while [ ! -f {go} ]; do sleep 0.05; done; cat; echo bye"));
        var streams = new FakeExecStreams(stdin: true);

        var attach = AttachAsync(id, streams, stdin: true);
        await streams.TypeAsync("ignored\n");
        streams.CloseStdin();
        await AsyncTestHelpers.WaitUntilAsync(() => streams.Accepts == 1, because: "the session was accepted");
        File.WriteAllText(go, "");

        await attach.DefaultTimeout();
        Assert.Equal("bye\n", streams.Out!.Text);
    }

    [Fact]
    public async Task Attach_Tty_ResizeAndInputGoThroughTheTerminal()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c",
            "while [ \"$(stty size)\" = \"0 0\" ]; do sleep 0.05; done; stty size; read l; echo got:$l") with { Stdin = true, StdinOnce = true, Tty = true });
        var streams = new FakeExecStreams(stdin: true, stderr: false);

        var attach = AttachAsync(id, streams, stdin: true, tty: true);
        streams.Resize(width: 100, height: 30);
        await AsyncTestHelpers.WaitUntilAsync(() => streams.Out!.Text == "30 100\r\n", because: "the app saw the size");
        await streams.TypeAsync("x\n");

        await attach.DefaultTimeout();
        Assert.Equal("30 100\r\nx\r\ngot:x\r\n", streams.Out!.Text);
        Assert.Contains("got:x", File.ReadAllText((await _h.Runtime.GetContainerStatusAsync(id)).LogPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attach_ContainerNotRunning_AcceptedThenInternalError()
    {
        // Upstream's kubelet refuses the stream after the apiserver upgraded the client's WebSocket: kubectl prints
        // "error: Internal error occurred: unable to upgrade connection: container app not found in pod web_default".
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "exit 0"));
        await _h.WaitExitedAsync(id);
        var streams = new FakeExecStreams();

        var e = await Assert.ThrowsAsync<ApiException>(() => AttachAsync(id, streams));

        Assert.Equal(500, e.Code);
        Assert.Equal("Internal error occurred: unable to upgrade connection: container app not found in pod web_default", e.Message);
        Assert.Equal(1, streams.Accepts);
    }

    private Task AttachAsync(ContainerId id, FakeExecStreams streams, bool stdin = false, bool tty = false) =>
        _backend.AttachAsync(StreamingPods.Pod(StreamingPods.Running(id)),
            new PodAttachOptions("app", stdin, streams.Out is not null, streams.Err is not null && !tty, tty), streams, CancellationToken.None);
}
