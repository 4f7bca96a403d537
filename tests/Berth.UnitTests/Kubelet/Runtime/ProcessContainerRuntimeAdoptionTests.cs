using System.Diagnostics;
using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>A new runtime instance over the same state directory (an agent restart) adopts what still runs.</summary>
[Trait("Category", "Process")]
public sealed class ProcessContainerRuntimeAdoptionTests : IDisposable
{
    private readonly RuntimeHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task Restart_RunningContainer_AdoptedAndKeepsLoggingWithoutGaps()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("counter.sh"), "0.01"));
        var before = await _h.Runtime.GetContainerStatusAsync(id);
        await AsyncTestHelpers.WaitUntilAsync(() => CriLogLine.ReadAll(before.LogPath).Count > 10);

        _h.Runtime.Dispose();
        await Task.Delay(300); // the agent is "down": output waits in the FIFOs
        var runtime = _h.Restart();
        var adopted = await runtime.GetContainerStatusAsync(id);
        var countAtRestart = CriLogLine.ReadAll(before.LogPath).Count;
        await AsyncTestHelpers.WaitUntilAsync(() => CriLogLine.ReadAll(before.LogPath).Count > countAtRestart + 20, because: "logging continues");
        await runtime.StopContainerAsync(id, TimeSpan.FromSeconds(2), Signals.SIGTERM).DefaultTimeout();

        Assert.Equal(ContainerState.Running, adopted.State);
        Assert.Equal(before.Pid, adopted.Pid);
        Assert.Equal(before.StartedAt, adopted.StartedAt);
        Assert.Equal(143, (await runtime.GetContainerStatusAsync(id)).ExitCode);
        var outs = CriLogLine.ReadAll(before.LogPath).Where(l => l.Stream == "stdout").Select(l => int.Parse(l.Message[4..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, outs.Count), outs);
    }

    [Fact]
    public async Task Restart_ContainerExitedWhileDown_ExitCodeFromShimRecord()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 0.3; exit 7"));

        _h.Runtime.Dispose();
        var shim = ContainerStateFile.TryLoad(Path.Combine(ContainerDir(id), "state.json"))!.ShimPid!.Value;
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(Path.Combine(ContainerDir(id), "exit")) && ProcStat.Read(shim) is null or { State: 'Z' },
            because: "the shim recorded the exit and ended");
        var status = await _h.Restart().GetContainerStatusAsync(id);

        Assert.Equal(ContainerState.Exited, status.State);
        Assert.Equal(7, status.ExitCode);
        Assert.Equal(ContainerReasons.Error, status.Reason);
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(ContainerDir(id), "exit")), status.FinishedAt!.Value.UtcDateTime);
    }

    [Fact]
    public async Task Restart_StaleStateWithReusedPid_NotAdoptedAndStrangerUntouched()
    {
        using var stranger = Process.Start(new ProcessStartInfo("/bin/sleep", "30"))!;
        var id = ContainerId.New();
        var paths = ContainerPaths.For(_h.StateDirectory, "0b5c3d7e-1111-4a2b-9c3d-000000000001", id.Value);
        Directory.CreateDirectory(paths.Directory);
        var realStart = ProcStat.StartTime(stranger.Id)!.Value;
        new ContainerStateFile
        {
            Id = id.Value,
            Config = RuntimeHarness.Config("/bin/sleep", "30"),
            LogPath = Path.Combine(_h.LogDirectory, "stale.log"),
            State = ContainerState.Running,
            CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            StartedAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            ShimPid = stranger.Id,
            ShimStartTime = realStart + 1,
            Pid = stranger.Id,
            PidStartTime = realStart + 1,
        }.Save(paths.StateFile);

        var status = await _h.Restart().GetContainerStatusAsync(id);

        Assert.Equal(ContainerState.Exited, status.State);
        Assert.Equal(ContainerReasons.ContainerStatusUnknown, status.Reason);
        Assert.Equal(137, status.ExitCode);
        Assert.False(stranger.HasExited);
        stranger.Kill();
    }

    [Fact]
    public async Task Restart_UnreadableState_ListedAsUnknownAndRemovable()
    {
        var id = ContainerId.New();
        var paths = ContainerPaths.For(_h.StateDirectory, "some-pod-uid", id.Value);
        Directory.CreateDirectory(paths.Directory);
        File.WriteAllText(paths.StateFile, "{ not json");

        var runtime = _h.Restart();
        var status = await runtime.GetContainerStatusAsync(id);
        await runtime.RemoveContainerAsync(id, deleteLogs: true).DefaultTimeout();

        Assert.Equal(ContainerState.Unknown, status.State);
        Assert.Equal("some-pod-uid", status.PodUid);
        Assert.False(Directory.Exists(paths.Directory));
    }

    [Fact]
    public async Task Restart_UnreadableStateInEarlierLayout_ListedUnderItsPodAndRemovedWithItsDirectories()
    {
        var id = ContainerId.New();
        var podDirectory = Path.Combine(_h.StateDirectory, "pods", "old-pod-uid");
        var paths = new ContainerPaths(Path.Combine(podDirectory, ContainerPaths.LegacyContainersDirectory, id.Value));
        Directory.CreateDirectory(paths.Directory);
        File.WriteAllBytes(paths.StateFile, []);

        var runtime = _h.Restart();
        var status = await runtime.GetContainerStatusAsync(id);
        await runtime.RemoveContainerAsync(id, deleteLogs: true).DefaultTimeout();

        Assert.Equal(ContainerState.Unknown, status.State);
        Assert.Equal("old-pod-uid", status.PodUid);
        Assert.False(Directory.Exists(podDirectory));
    }

    [Fact]
    public async Task Restart_ExitedContainerInEarlierLayout_AdoptedWithItsExit()
    {
        var id = ContainerId.New();
        var paths = new ContainerPaths(Path.Combine(_h.StateDirectory, "pods", "0b5c3d7e-1111-4a2b-9c3d-000000000001",
            ContainerPaths.LegacyContainersDirectory, id.Value));
        Directory.CreateDirectory(paths.Directory);
        new ContainerStateFile
        {
            Id = id.Value,
            Config = RuntimeHarness.Config("/bin/true"),
            LogPath = Path.Combine(_h.LogDirectory, "legacy.log"),
            State = ContainerState.Exited,
            CreatedAt = DateTimeOffset.UnixEpoch,
            ExitCode = 3,
            Reason = ContainerReasons.Error,
        }.Save(paths.StateFile);

        var status = await _h.Restart().GetContainerStatusAsync(id);

        Assert.Equal(ContainerState.Exited, status.State);
        Assert.Equal(3, status.ExitCode);
    }

    [Fact]
    public async Task Create_NewContainer_StateDirectoryDirectlyBelowItsPod()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/true"));

        Assert.True(File.Exists(Path.Combine(_h.StateDirectory, "pods", "0b5c3d7e-1111-4a2b-9c3d-000000000001", id.Value, "state.json")));
    }

    [Fact]
    public async Task Restart_AdoptedContainer_ExecReadsEnvironmentFromProc()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30") with
        {
            Environment = new Dictionary<string, string> { ["SECRET_ISH"] = "value-1" },
        });

        var runtime = _h.Restart();
        var result = await runtime.ExecSyncAsync(id, ["/bin/sh", "-c", "echo $SECRET_ISH"], TimeSpan.FromSeconds(5)).DefaultTimeout();

        Assert.Equal("value-1\n", result.Stdout);
        Assert.DoesNotContain("value-1", File.ReadAllText(Path.Combine(ContainerDir(id), "state.json")));
    }

    private string ContainerDir(ContainerId id) =>
        ContainerPaths.For(_h.StateDirectory, "0b5c3d7e-1111-4a2b-9c3d-000000000001", id.Value).Directory;
}
