using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// The <see cref="IContainerRuntime"/> contract, run against every implementation (the real process runtime and
/// the fake the pod-worker tests use), so the fake cannot drift from the real thing (kine's shared test server,
/// kubelet's TestFakePodWorkers idea).
/// </summary>
public abstract class ContainerRuntimeConformanceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    protected abstract IContainerRuntime Runtime { get; }

    /// <summary>Starts a container whose main process exits by itself with <paramref name="exitCode"/>.</summary>
    protected abstract Task<ContainerId> StartExitingAsync(int exitCode);

    /// <summary>Starts a long-running container: "trap" exits 0 on SIGTERM, "plain" has no handler, "ignore" ignores it.</summary>
    protected abstract Task<ContainerId> StartLongRunningAsync(string kind);

    /// <summary>Creates a container whose start must fail (missing executable).</summary>
    protected abstract Task<ContainerId> CreateUnstartableAsync();

    [Theory]
    [InlineData(0, ContainerReasons.Completed)]
    [InlineData(3, ContainerReasons.Error)]
    public async Task Exit_ByItself_StatusAndEvent(int code, string reason)
    {
        using var cts = new CancellationTokenSource(AsyncTestHelpers.DefaultWait);
        var events = Runtime.WatchContainerExitsAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync().AsTask();

        var id = await StartExitingAsync(code);

        Assert.True(await next.DefaultTimeout());
        Assert.Equal((id, code, reason), (events.Current.Id, events.Current.ExitCode, events.Current.Reason));
        var status = await Runtime.GetContainerStatusAsync(id);
        Assert.Equal((ContainerState.Exited, code, reason), (status.State, status.ExitCode, status.Reason));
        await events.DisposeAsync();
    }

    [Theory]
    [InlineData("trap", 0, ContainerReasons.Completed)]
    [InlineData("plain", 143, ContainerReasons.Error)]
    [InlineData("ignore", 137, ContainerReasons.Error)]
    public async Task Stop_BySigterm_ExitCodeAndReason(string kind, int code, string reason)
    {
        var id = await StartLongRunningAsync(kind);

        await Runtime.StopContainerAsync(id, Grace, Signals.SIGTERM).DefaultTimeout();
        var status = await Runtime.GetContainerStatusAsync(id);

        Assert.Equal((ContainerState.Exited, code, reason), (status.State, status.ExitCode, status.Reason));
    }

    [Fact]
    public async Task StopAndRemove_Unknown_Succeed()
    {
        await Runtime.StopContainerAsync(ContainerId.New(), Grace, Signals.SIGTERM).DefaultTimeout();
        await Runtime.RemoveContainerAsync(ContainerId.New(), deleteLogs: true).DefaultTimeout();
        var ex = await Assert.ThrowsAsync<ApiException>(() => Runtime.GetContainerStatusAsync(ContainerId.New()));
        Assert.Equal(StatusReason.NotFound, ex.Reason);
    }

    [Fact]
    public async Task Remove_Running_KilledAndGoneFromList()
    {
        var id = await StartLongRunningAsync("ignore");

        await Runtime.RemoveContainerAsync(id, deleteLogs: true).DefaultTimeout();

        Assert.DoesNotContain(await Runtime.ListContainersAsync(), c => c.Id == id);
    }

    [Fact]
    public async Task Start_Twice_BadRequest()
    {
        var id = await StartLongRunningAsync("plain");

        var ex = await Assert.ThrowsAsync<ApiException>(() => Runtime.StartContainerAsync(id));

        Assert.Equal(StatusReason.BadRequest, ex.Reason);
        await Runtime.StopContainerAsync(id, Grace, Signals.SIGTERM).DefaultTimeout();
    }

    [Fact]
    public async Task Start_Fails_StartErrorAndException()
    {
        var id = await CreateUnstartableAsync();

        await Assert.ThrowsAsync<ContainerStartException>(() => Runtime.StartContainerAsync(id));
        var status = await Runtime.GetContainerStatusAsync(id);

        Assert.Equal((ContainerState.Exited, 128, ContainerReasons.StartError), (status.State, status.ExitCode, status.Reason));
    }

    [Fact]
    public async Task Exec_Running_ReturnsResult_NotRunning_BadRequest()
    {
        var id = await StartLongRunningAsync("plain");

        var result = await Runtime.ExecSyncAsync(id, ["true"], TimeSpan.FromSeconds(5)).DefaultTimeout();
        await Runtime.StopContainerAsync(id, Grace, Signals.SIGTERM).DefaultTimeout();

        Assert.Equal(0, result.ExitCode);
        await Assert.ThrowsAsync<ApiException>(() => Runtime.ExecSyncAsync(id, ["true"], TimeSpan.FromSeconds(5)));
    }
}
