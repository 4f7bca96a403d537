using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime.ProcessRuntime.Logs;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

public sealed partial class ProcessContainerRuntime
{
    /// <summary>
    /// Rebuilds the container table from <c>&lt;state&gt;/pods/*/*/state.json</c> (and the earlier layout's
    /// <c>&lt;state&gt;/pods/*/containers/*/state.json</c>) at construction (agent
    /// restart). A Running container whose shim is still the same process (PID and start time match) is re-attached:
    /// exit watch through a pidfd, log pump from the FIFOs. One whose shim is gone gets its recorded exit (exit file,
    /// finishedAt = file time) or, without a record, ContainerStatusUnknown (137); leftovers of its tree are killed.
    /// A start interrupted by the crash (shim spawned, PID not saved) is killed and reported the same way.
    /// An unreadable state file yields an Unknown container, so the kubelet can still remove it.
    /// </summary>
    private void AdoptExisting()
    {
        var pods = Path.Combine(_options.StateDirectory, "pods");
        if (!Directory.Exists(pods))
        {
            return;
        }
        foreach (var dir in Directory.EnumerateDirectories(pods).SelectMany(p => EnumerateContainers(p)))
        {
            var name = Path.GetFileName(dir);
            if (!ContainerId.IsValid(name))
            {
                continue;
            }
            var id = new ContainerId(name);
            var paths = new ContainerPaths(dir);
            var state = ContainerStateFile.TryLoad(paths.StateFile) ?? UnreadableState(id, dir);
            var record = new ContainerRecord(id, paths, state, environment: null);
            _containers[id] = record;
            Adopt(record);
        }
    }

    // Both layouts: the pod directory's container directories, and those of its containers/ level (earlier agents).
    private static IEnumerable<string> EnumerateContainers(string podDirectory) =>
        Directory.EnumerateDirectories(podDirectory).SelectMany(dir =>
            Path.GetFileName(dir) == ContainerPaths.LegacyContainersDirectory ? Directory.EnumerateDirectories(dir) : [dir]);

    private void Adopt(ContainerRecord record)
    {
        var state = record.State;
        if (state.State is ContainerState.Exited or ContainerState.Unknown
            || (state.State == ContainerState.Created && state.ShimPid is null))
        {
            record.StartAttempted = state.State != ContainerState.Created;
            record.StartCompleted.TrySetResult();
            if (state.State != ContainerState.Created)
            {
                record.Exited.TrySetResult();
            }
            return;
        }
        record.StartAttempted = true;
        var shimAlive = state is { ShimPid: { } shim, ShimStartTime: { } start } && ProcStat.IsSameLiveProcess(shim, start);
        if (state.State == ContainerState.Running && shimAlive)
        {
            Reattach(record);
            return;
        }
        if (state.State == ContainerState.Created)
        {
            record.StartFailure = "the agent restarted while the container was starting";
        }
        record.StartCompleted.TrySetResult();
        KillTree(record);
        if (shimAlive)
        {
            Libc.kill(state.ShimPid!.Value, Signals.SIGKILL);
        }
        FinalizeExit(record, observedLive: false, shimStatus: null);
        Log.AdoptedExited(_logger, state.Config.PodUid, state.Config.ContainerName, record.Id.Value, state.ExitCode ?? -1, state.Reason ?? "");
    }

    private void Reattach(ContainerRecord record)
    {
        try
        {
            record.Pump = ContainerLogPump.Start(record.Paths, record.State.LogPath, _options, _poller, _time);
            RegisterPodSockets(record);
            WatchShim(record, record.State.ShimPid!.Value);
            Log.Adopted(_logger, record.State.Config.PodUid, record.State.Config.ContainerName, record.Id.Value, record.State.Pid ?? 0);
        }
        catch (IOException ex)
        {
            Log.AdoptionFailed(_logger, record.Id.Value, ex);
            KillTree(record);
            FinalizeExit(record, observedLive: false, shimStatus: null);
        }
        finally
        {
            record.StartCompleted.TrySetResult();
        }
    }

    private ContainerStateFile UnreadableState(ContainerId id, string directory) => new()
    {
        Id = id.Value,
        Config = new ContainerConfig
        {
            PodUid = new ContainerPaths(directory).PodUid,
            PodNamespace = "",
            PodName = "",
            ContainerName = "",
            Argv = [],
        },
        LogPath = "",
        State = ContainerState.Unknown,
        CreatedAt = _time.GetUtcNow(),
        Reason = ContainerReasons.ContainerStatusUnknown,
        Message = "The container's state file could not be read",
    };
}
