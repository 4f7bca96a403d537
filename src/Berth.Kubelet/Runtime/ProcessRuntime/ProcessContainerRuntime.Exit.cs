using System.Globalization;
using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

public sealed partial class ProcessContainerRuntime
{
    /// <summary>How long the exit handler waits for the log pipes to drain after the tree is gone.</summary>
    private static readonly TimeSpan PumpDrainTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs once per container when its shim has exited (the shim outlives the main process by a few syscalls):
    /// reaps the shim, kills whatever is left of the tree (a container ends with its main process), lets the log
    /// pump drain, then records the final status and publishes the exit.
    /// </summary>
    private async Task OnShimExitedAsync(ContainerRecord record)
    {
        try
        {
            await record.StartCompleted.Task.ConfigureAwait(false);
            var shimStatus = ReapShim(record);
            KillTree(record);
            if (record.Pump is { } pump)
            {
                await pump.Completion.WaitAsync(PumpDrainTimeout, _time).ConfigureAwait(false);
            }
            FinalizeExit(record, observedLive: true, shimStatus);
        }
        catch (TimeoutException)
        {
            Log.LogDrainTimedOut(_logger, record.Id.Value);
            record.Pump?.Detach(_poller);
            FinalizeExit(record, observedLive: true, shimStatus: null);
        }
        catch (Exception ex)
        {
            Log.ExitHandlingFailed(_logger, record.Id.Value, ex);
            FinalizeExit(record, observedLive: true, shimStatus: null);
        }
    }

    private static int? ReapShim(ContainerRecord record) =>
        record.ShimIsChild && record.State.ShimPid is { } pid ? Libc.Reap(pid, block: false) : null;

    /// <summary>SIGKILLs every process of the container (not the shim): cgroup.kill, else process group + marker scan.</summary>
    private void KillTree(ContainerRecord record)
    {
        string? cgroup;
        int? pid;
        ulong? start;
        int spare;
        lock (record.Gate)
        {
            (cgroup, pid, start, spare) = (record.State.Cgroup, record.State.Pid, record.State.PidStartTime, record.State.ShimPid ?? -1);
        }
        if (cgroup is not null && Directory.Exists(cgroup))
        {
            CgroupOps.KillAll(cgroup);
        }
        else
        {
            ProcessGroupKiller.KillAll(record.Id, pid, start, spare);
        }
    }

    /// <summary>
    /// Moves the container to Exited once (later calls do nothing), saves it, removes its empty cgroup, completes
    /// <see cref="ContainerRecord.Exited"/> and publishes the exit. <paramref name="observedLive"/> is false for an
    /// exit that happened while no agent ran: finishedAt is then the time the shim wrote the exit file.
    /// </summary>
    private void FinalizeExit(ContainerRecord record, bool observedLive, int? shimStatus)
    {
        ContainerExitEvent exit;
        lock (record.Gate)
        {
            if (record.State.State == ContainerState.Exited)
            {
                return;
            }
            var s = record.State;
            (s.ExitCode, s.Reason, s.Message, s.FinishedAt) = DetermineExit(record, observedLive, shimStatus);
            s.Signal = ExplainingSignal(record, s.ExitCode.Value);
            s.State = ContainerState.Exited;
            s.StartedAt ??= s.FinishedAt;
            record.Save();
            exit = new ContainerExitEvent(record.Id, s.Config.PodUid, s.Config.ContainerName, s.ExitCode.Value, s.Reason, s.FinishedAt.Value);
        }
        if (record.State.Cgroup is { } cgroup)
        {
            _podSockets?.Unregister(cgroup);
            EmptyDirectory.TryRemove(cgroup);
        }
        record.Exited.TrySetResult();
        _exits.Publish(exit);
        Log.Exited(_logger, exit.PodUid, exit.ContainerName, record.Id.Value, exit.ExitCode, exit.Reason);
    }

    private (int Code, string Reason, string? Message, DateTimeOffset FinishedAt) DetermineExit(ContainerRecord record,
        bool observedLive, int? shimStatus)
    {
        var now = _time.GetUtcNow();
        if (record.StartFailure is { } failure)
        {
            return (ContainerReasons.StartErrorExitCode, ContainerReasons.StartError, failure, now);
        }
        var code = ReadExitFile(record.Paths.ExitFile, out var written);
        if (code is null && shimStatus is { } status && WaitStatus.TermSignal(status) == 0)
        {
            code = WaitStatus.ExitCode(status);
        }
        if (code is null)
        {
            return (ContainerReasons.UnknownExitCode, ContainerReasons.ContainerStatusUnknown,
                "The container's supervisor ended without recording an exit code", now);
        }
        var finishedAt = observedLive || written is null ? now : written.Value;
        var oom = record.State.Cgroup is { } cg && code != 0 && CgroupOps.WasOomKilled(cg);
        var message = TerminationMessage.Read(TerminationMessageFile(record), record.State.Config.TerminationMessageFallbackToLogs && code != 0,
            record.State.LogPath);
        return (code.Value, oom ? ContainerReasons.OOMKilled : ContainerReasons.ForExitCode(code.Value),
            message.Length > 0 ? message : null, finishedAt);
    }

    // The per-container file in a mount namespace; without one, the file only when terminationMessagePath lies in a
    // mount that shows a host path at its own path (the container could write there); else none.
    private static string? TerminationMessageFile(ContainerRecord record)
    {
        var config = record.State.Config;
        if (string.IsNullOrEmpty(config.TerminationMessagePath))
        {
            return null;
        }
        if (record.State.MountNamespace)
        {
            return record.Paths.TerminationLog;
        }
        return Namespaces.MountPlan.For(config, terminationLogFile: null).TryMapToHost(config.TerminationMessagePath);
    }

    // Only a signal this runtime delivered can be named with certainty; the exit code alone cannot tell a signal
    // death from a program that returned 143.
    private static int? ExplainingSignal(ContainerRecord record, int exitCode)
    {
        if (exitCode == Signals.ExitCodeFor(Signals.SIGKILL) && record.KilledAtDeadline)
        {
            return Signals.SIGKILL;
        }
        return record.StopSignalSent is { } sent && exitCode == Signals.ExitCodeFor(sent) ? sent : null;
    }

    private static int? ReadExitFile(string path, out DateTimeOffset? written)
    {
        written = null;
        try
        {
            var text = File.ReadAllText(path).Trim();
            written = File.GetLastWriteTimeUtc(path);
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
