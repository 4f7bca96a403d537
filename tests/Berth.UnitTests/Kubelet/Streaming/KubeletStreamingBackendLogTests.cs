using Berth.ApiServer.Streaming;
using Berth.Kubelet.Streaming;
using Berth.Machinery.Errors;
using Berth.UnitTests.Kubelet.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Streaming;

[Trait("Category", "Process")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubeletStreamingBackendLogTests : IDisposable
{
    private readonly RuntimeHarness _h = new();
    private readonly KubeletStreamingBackend _backend;

    public KubeletStreamingBackendLogTests() =>
        _backend = new KubeletStreamingBackend(_h.Runtime, new ProcessStreamingRuntime(_h.Runtime, TimeProvider.System),
            _h.LogDirectory, 5, TimeProvider.System, NullLogger<KubeletStreamingBackend>.Instance);

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task StreamLogs_TerminatedContainer_StdoutAndStderr()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo out; echo err >&2"));
        await _h.WaitExitedAsync(id);

        var text = await LogsAsync(StreamingPods.Pod(StreamingPods.Terminated(id)), new PodLogOptions("app"));

        Assert.Equal("out\nerr\n", text);
    }

    [Fact]
    public async Task StreamLogs_Follow_EndsWhenContainerExitsWithEverythingRead()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo first; sleep 1; echo second; sleep 0.3; echo third"));

        var text = await LogsAsync(StreamingPods.Pod(StreamingPods.Running(id)), new PodLogOptions("app", Follow: true));

        Assert.Equal("first\nsecond\nthird\n", text);
        Assert.Equal(Berth.Kubelet.Runtime.ContainerState.Exited, (await _h.Runtime.GetContainerStatusAsync(id)).State);
    }

    [Fact]
    public async Task StreamLogs_Previous_ReadsRemovedInstanceKeptLogs()
    {
        var first = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo first life; exit 1"));
        await _h.WaitExitedAsync(first);
        await _h.Runtime.RemoveContainerAsync(first, deleteLogs: false);
        var second = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo second life; sleep 30") with { Attempt = 1 });
        var secondLog = (await _h.Runtime.GetContainerStatusAsync(second)).LogPath;
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(secondLog) && File.ReadAllText(secondLog).Contains("second life", StringComparison.Ordinal));
        var pod = StreamingPods.Pod(StreamingPods.Running(second, restarts: 1, last: first));

        Assert.Equal("first life\n", await LogsAsync(pod, new PodLogOptions("app", Previous: true)));
        Assert.Equal("second life\n", await LogsAsync(pod, new PodLogOptions("app")));
    }

    [Fact]
    public async Task StreamLogs_PreviousWithoutLastState_UpstreamBadRequest()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));

        var e = await Assert.ThrowsAsync<ApiException>(() => LogsAsync(StreamingPods.Pod(StreamingPods.Running(id)), new PodLogOptions("app", Previous: true)));

        Assert.Equal(400, e.Code);
        Assert.Equal("previous terminated container \"app\" in pod \"web\" not found", e.Message);
    }

    [Theory]
    [InlineData("ContainerCreating", "container \"app\" in pod \"web\" is waiting to start: ContainerCreating")]
    [InlineData("ImagePullBackOff", "container \"app\" in pod \"web\" is waiting to start: trying and failing to pull image")]
    public async Task StreamLogs_Waiting_UpstreamBadRequest(string reason, string message)
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => LogsAsync(StreamingPods.Pod(StreamingPods.Waiting(reason)), new PodLogOptions("app")));

        Assert.Equal(400, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task StreamLogs_NoStatusYet_NotAvailable()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => LogsAsync(StreamingPods.Pod(null), new PodLogOptions("app")));

        Assert.Equal("container \"app\" in pod \"web\" is not available", e.Message);
    }

    [Fact]
    public async Task StreamLogs_PlantedSymlink_BadRequestBeforeAnyOutput()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo hi"));
        var status = await _h.WaitExitedAsync(id);
        var outside = _h.Scratch("outside.log");
        File.WriteAllText(outside, "2026-01-01T00:00:00.000000000Z stdout F stolen\n");
        File.Delete(status.LogPath);
        File.CreateSymbolicLink(status.LogPath, outside);
        var output = new SyncOutput();

        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _backend.StreamLogsAsync(StreamingPods.Pod(StreamingPods.Terminated(id)), new PodLogOptions("app"), output, CancellationToken.None));

        Assert.Equal(400, e.Code);
        Assert.Equal("", output.Text);
        Assert.Equal(0, output.Flushes);
    }

    private async Task<string> LogsAsync(k8s.Models.V1Pod pod, PodLogOptions options)
    {
        var output = new SyncOutput();
        await _backend.StreamLogsAsync(pod, options, output, CancellationToken.None).DefaultTimeout();
        return output.Text;
    }
}
