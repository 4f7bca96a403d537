using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Streaming;
using Berth.Machinery.Errors;
using Berth.UnitTests.Kubelet.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Streaming;

[Trait("Category", "Process")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubeletStreamingBackendExecTests : IDisposable
{
    private readonly RuntimeHarness _h = new();
    private readonly KubeletStreamingBackend _backend;

    public KubeletStreamingBackendExecTests() =>
        _backend = new KubeletStreamingBackend(_h.Runtime, new ProcessStreamingRuntime(_h.Runtime, TimeProvider.System),
            _h.LogDirectory, 5, TimeProvider.System, NullLogger<KubeletStreamingBackend>.Instance);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Exec_Pipes_StdoutStderrAndExitCodeInContainerContext()
    {
        var pod = await RunPodAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30") with
        {
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
            WorkingDirectory = "/tmp",
        });
        var streams = new FakeExecStreams();

        var code = await ExecAsync(pod, streams, ["/bin/sh", "-c", "echo $GREETING; pwd; echo oops >&2; exit 3"]);

        Assert.Equal(3, code);
        Assert.Equal("hello\n/tmp\n", streams.Out!.Text);
        Assert.Equal("oops\n", streams.Err!.Text);
        Assert.Equal(1, streams.Accepts);
    }

    [Fact]
    public async Task Exec_StdinThroughCat_EchoedThenEofEndsIt()
    {
        var pod = await RunPodAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var streams = new FakeExecStreams(stdin: true);

        var exec = ExecAsync(pod, streams, ["cat"], stdin: true);
        await streams.TypeAsync("line one\n");
        await AsyncTestHelpers.WaitUntilAsync(() => streams.Out!.Text == "line one\n");
        await streams.TypeAsync("two");
        streams.CloseStdin();

        Assert.Equal(0, await exec.DefaultTimeout());
        Assert.Equal("line one\ntwo", streams.Out!.Text);
    }

    [Fact]
    public async Task Exec_Tty_RunsOnAPseudoTerminal()
    {
        var pod = await RunPodAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var streams = new FakeExecStreams(stderr: false);

        var code = await ExecAsync(pod, streams, ["tty"], tty: true);

        Assert.Equal(0, code);
        Assert.Matches(@"^/dev/pts/\d+\r\n$", streams.Out!.Text);
    }

    [Fact]
    public async Task Exec_TtyResize_SttySizeReportsIt()
    {
        var pod = await RunPodAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var streams = new FakeExecStreams(stdin: true, stderr: false);

        // The command waits until the terminal has a size (a new pseudo-terminal starts at 0x0), then prints it.
        var exec = ExecAsync(pod, streams, ["/bin/sh", "-c", "while [ \"$(stty size)\" = \"0 0\" ]; do sleep 0.05; done; stty size"],
            stdin: true, tty: true);
        streams.Resize(width: 123, height: 45);

        Assert.Equal(0, await exec.DefaultTimeout());
        Assert.Equal("45 123\r\n", streams.Out!.Text);
    }

    [Fact]
    public async Task Exec_TtyInterruptCharacter_SignalsTheForegroundCommand()
    {
        var pod = await RunPodAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var streams = new FakeExecStreams(stdin: true, stderr: false);

        var exec = ExecAsync(pod, streams, ["/bin/sh", "-c", "echo ready; exec sleep 30"], stdin: true, tty: true);
        await AsyncTestHelpers.WaitUntilAsync(() => streams.Out!.Text.Contains("ready", StringComparison.Ordinal));
        await streams.TypeAsync("\u0003");

        Assert.Equal(130, await exec.DefaultTimeout());
    }

    [Fact]
    public async Task Exec_ContainerNotRunning_AcceptedThenInternalError()
    {
        // What kubectl shows for a container in CrashLoopBackOff on a cluster:
        // "error: Internal error occurred: unable to upgrade connection: container not found ("app")", exit 1.
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "exit 0"));
        await _h.WaitExitedAsync(id);
        var streams = new FakeExecStreams();

        var e = await Assert.ThrowsAsync<ApiException>(() => ExecAsync(StreamingPods.Pod(StreamingPods.Terminated(id)), streams, ["true"]));

        Assert.Equal(500, e.Code);
        Assert.Equal("Internal error occurred: unable to upgrade connection: container not found (\"app\")", e.Message);
        Assert.Equal(1, streams.Accepts);
    }

    [Fact]
    public async Task Exec_ProgramNotFound_AcceptedThenInternalErrorNotAShells127()
    {
        // A cluster's kubectl: "error: Internal error occurred: error executing command in container: failed to exec
        // in container: … exec: "no-such-tool": executable file not found in $PATH …", exit 1.
        var pod = await RunPodAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var streams = new FakeExecStreams();

        var e = await Assert.ThrowsAsync<ApiException>(() => ExecAsync(pod, streams, ["no-such-tool-s11"]));

        Assert.Equal(500, e.Code);
        Assert.Equal("Internal error occurred: error executing command in container: failed to exec in container: "
            + "unable to start container process: exec: \"no-such-tool-s11\": executable file not found in $PATH", e.Message);
        Assert.Equal(1, streams.Accepts);
        Assert.Equal(0, await ExecAsync(pod, new FakeExecStreams(), ["true"]));
    }

    [Fact]
    public async Task Exec_Cancelled_KillsTheCommand()
    {
        var pod = await RunPodAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var streams = new FakeExecStreams();
        using var cts = new CancellationTokenSource();
        var marker = _h.Scratch("exec.pid");

        var exec = _backend.ExecAsync(pod, new PodExecOptions("app", ["/bin/sh", "-c", $"echo $$ > {marker}; exec sleep 30"], false, true, true, false), streams, cts.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(marker) && File.ReadAllText(marker).EndsWith('\n'));
        var pid = int.Parse(File.ReadAllText(marker).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => exec.DefaultTimeout());
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }

    private async Task<k8s.Models.V1Pod> RunPodAsync(ContainerConfig config)
    {
        var id = await _h.RunAsync(config);
        return StreamingPods.Pod(StreamingPods.Running(id));
    }

    private Task<int> ExecAsync(k8s.Models.V1Pod pod, FakeExecStreams streams, string[] command, bool stdin = false, bool tty = false) =>
        _backend.ExecAsync(pod, new PodExecOptions("app", command, stdin, streams.Out is not null, streams.Err is not null && !tty, tty),
            streams, CancellationToken.None).DefaultTimeout();
}
