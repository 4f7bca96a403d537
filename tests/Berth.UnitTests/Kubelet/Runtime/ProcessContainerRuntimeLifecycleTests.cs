using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Machinery.Errors;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>Container lifecycle on real processes, run against both shims (<see cref="NativeShim"/> and <see cref="ScriptShim"/>).</summary>
[Trait("Category", "Process")]
public abstract class ProcessContainerRuntimeLifecycleTests : IDisposable
{
    private readonly RuntimeHarness _h;

    private protected ProcessContainerRuntimeLifecycleTests(ContainerShimKind shim) => _h = new RuntimeHarness(shim: shim);

    public void Dispose()
    {
        _h.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Runtime_ShimChosen_IsTheOneUnderTest()
    {
        Assert.StartsWith(this is NativeShim ? "native" : "sh", _h.Runtime.ShimDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateContainer_NotStarted_IsCreatedWithLogPath()
    {
        var id = await _h.Runtime.CreateContainerAsync(RuntimeHarness.Config("/bin/true"));

        var status = await _h.Runtime.GetContainerStatusAsync(id);

        Assert.Equal(ContainerState.Created, status.State);
        Assert.Null(status.Pid);
        Assert.EndsWith(Path.Combine("default_web_0b5c3d7e-1111-4a2b-9c3d-000000000001", "app", "0.log"), status.LogPath);
        Assert.Single(await _h.Runtime.ListContainersAsync());
    }

    [Fact]
    public async Task StartContainer_ExitsZero_CompletedWithTimes()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "exit 0"));

        var status = await _h.WaitExitedAsync(id);

        Assert.Equal(0, status.ExitCode);
        Assert.Equal(ContainerReasons.Completed, status.Reason);
        Assert.NotNull(status.StartedAt);
        Assert.True(status.FinishedAt >= status.StartedAt);
        Assert.Null(status.Signal);
    }

    [Fact]
    public async Task StartContainer_ExitsNonZero_Error()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "exit 3"));

        var status = await _h.WaitExitedAsync(id);

        Assert.Equal(3, status.ExitCode);
        Assert.Equal(ContainerReasons.Error, status.Reason);
    }

    [Fact]
    public async Task StartContainer_PidIsMainProcessLeadingItsOwnSession()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo $$; exec sleep 30"));
        var status = await _h.Runtime.GetContainerStatusAsync(id);

        await AsyncTestHelpers.WaitUntilAsync(() => CriLogLine.ReadAll(status.LogPath).Count > 0);
        var stat = File.ReadAllText($"/proc/{status.Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        Assert.Equal(status.Pid.ToString(), CriLogLine.ReadAll(status.LogPath)[0].Message);
        Assert.Equal(status.Pid.ToString(), fields[2]); // process group
        Assert.Equal(status.Pid.ToString(), fields[3]); // session
    }

    [Fact]
    public async Task StartContainer_MissingExecutable_StartErrorAndThrows()
    {
        var id = await _h.Runtime.CreateContainerAsync(RuntimeHarness.Config("no-such-binary-berth"));

        var ex = await Assert.ThrowsAsync<ContainerStartException>(() => _h.Runtime.StartContainerAsync(id));
        var status = await _h.Runtime.GetContainerStatusAsync(id);

        Assert.Contains("executable file not found in $PATH", ex.Message);
        Assert.Equal(ContainerState.Exited, status.State);
        Assert.Equal(128, status.ExitCode);
        Assert.Equal(ContainerReasons.StartError, status.Reason);
    }

    [Fact]
    public async Task StartContainer_Twice_BadRequest()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));

        var ex = await Assert.ThrowsAsync<ApiException>(() => _h.Runtime.StartContainerAsync(id));

        Assert.Equal(StatusReason.BadRequest, ex.Reason);
    }

    [Fact]
    public async Task CreateContainer_PathInName_BadRequest()
    {
        var ex = await Assert.ThrowsAsync<ApiException>(() =>
            _h.Runtime.CreateContainerAsync(RuntimeHarness.Config("/bin/true") with { ContainerName = "../x" }));

        Assert.Equal(400, ex.Code);
    }

    [Fact]
    public async Task GetContainerStatus_Unknown_NotFound()
    {
        var ex = await Assert.ThrowsAsync<ApiException>(() => _h.Runtime.GetContainerStatusAsync(ContainerId.New()));

        Assert.Equal(StatusReason.NotFound, ex.Reason);
    }

    [Fact]
    public async Task WatchContainerExits_ContainerExits_EventWithCode()
    {
        using var cts = new CancellationTokenSource(AsyncTestHelpers.DefaultWait);
        var events = _h.Runtime.WatchContainerExitsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync().AsTask();

        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 0.1; exit 5"));

        Assert.True(await next.DefaultTimeout());
        Assert.Equal(id, events.Current.Id);
        Assert.Equal(5, events.Current.ExitCode);
        Assert.Equal(ContainerReasons.Error, events.Current.Reason);
        await events.DisposeAsync();
    }

    [Fact]
    public async Task RemoveContainer_KeepLogs_StateGoneLogsStay()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo hello; sleep 30"));
        var status = await _h.Runtime.GetContainerStatusAsync(id);
        await AsyncTestHelpers.WaitUntilAsync(() => CriLogLine.ReadAll(status.LogPath).Count > 0);

        await _h.Runtime.RemoveContainerAsync(id, deleteLogs: false).DefaultTimeout();

        Assert.Empty(await _h.Runtime.ListContainersAsync());
        Assert.False(File.Exists($"/proc/{status.Pid}/stat") && !File.ReadAllText($"/proc/{status.Pid}/stat").Contains(") Z"));
        Assert.Equal("hello", CriLogLine.ReadAll(status.LogPath)[0].Message);
        Assert.Empty(await _h.Restart().ListContainersAsync());
    }

    [Fact]
    public async Task RemoveContainer_DeleteLogs_LogGone()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "echo hello"));
        var status = await _h.WaitExitedAsync(id);

        await _h.Runtime.RemoveContainerAsync(id, deleteLogs: true).DefaultTimeout();

        Assert.False(File.Exists(status.LogPath));
    }

    /// <summary>The native berth-shim (one fork, mounts through mount(2)).</summary>
    public sealed class NativeShim() : ProcessContainerRuntimeLifecycleTests(ContainerShimKind.Native);

    /// <summary>The sh shim (setsid, unshare and the mount script), the fallback without a C compiler.</summary>
    public sealed class ScriptShim() : ProcessContainerRuntimeLifecycleTests(ContainerShimKind.Script);
}
