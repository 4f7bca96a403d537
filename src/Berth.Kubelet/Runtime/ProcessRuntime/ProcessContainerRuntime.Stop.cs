using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

public sealed partial class ProcessContainerRuntime
{
    public async Task StopContainerAsync(ContainerId id, TimeSpan gracePeriod, int stopSignal,
        CancellationToken cancellationToken = default)
    {
        var deadline = _time.GetUtcNow() + gracePeriod;
        if (!_containers.TryGetValue(id, out var record) || !await WaitForStartAsync(record, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (gracePeriod > TimeSpan.Zero)
        {
            SendStopSignal(record, stopSignal);
            if (await WaitUntilDeadlineAsync(record, deadline, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        lock (record.Gate)
        {
            record.KilledAtDeadline = true; // before the kill, so the exit handler can name SIGKILL as the cause
        }
        KillTree(record);
        var sentAt = _time.GetUtcNow();
        lock (record.Gate)
        {
            record.DeadlineKill = (deadline, sentAt);
        }
        Log.KilledAtDeadline(_logger, record.State.Config.PodUid, record.State.Config.ContainerName, id.Value, gracePeriod, sentAt - deadline);
        await record.Exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveContainerAsync(ContainerId id, bool deleteLogs, CancellationToken cancellationToken = default)
    {
        if (!_containers.TryGetValue(id, out var record))
        {
            return;
        }
        if (await WaitForStartAsync(record, cancellationToken).ConfigureAwait(false))
        {
            KillTree(record);
            await record.Exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        _containers.TryRemove(id, out _);
        record.Pump?.Detach(_poller);
        if (record.State.Cgroup is { } cgroup)
        {
            EmptyDirectory.TryRemove(cgroup);
        }
        DeleteDirectory(record.Paths.Directory);
        // The pod's directory (and the containers/ level of the earlier layout) goes with its last container (a
        // concurrent create refills it first, and then the removal fails harmlessly).
        if (record.Paths.IsLegacy)
        {
            EmptyDirectory.TryRemove(Path.GetDirectoryName(record.Paths.Directory));
        }
        EmptyDirectory.TryRemove(record.Paths.PodDirectory);
        if (deleteLogs)
        {
            DeleteLogs(record.State.LogPath);
        }
        Log.Removed(_logger, record.State.Config.PodUid, record.State.Config.ContainerName, id.Value);
    }

    // True when the container exited in time. Timers round to milliseconds and may fire a fraction early, so the
    // wait is repeated until the deadline has really passed: the SIGKILL never precedes it.
    private async Task<bool> WaitUntilDeadlineAsync(ContainerRecord record, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        for (var remaining = deadline - _time.GetUtcNow(); remaining > TimeSpan.Zero; remaining = deadline - _time.GetUtcNow())
        {
            try
            {
                var wait = TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds));
                await record.Exited.Task.WaitAsync(wait, _time, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (TimeoutException)
            {
                // Re-check the clock: the loop ends once the deadline is behind us.
            }
        }
        return record.Exited.Task.IsCompleted;
    }

    /// <summary>For diagnostics and tests: when the grace deadline was and when the SIGKILL went out, if it did.</summary>
    internal (DateTimeOffset Deadline, DateTimeOffset SentAt)? GetDeadlineKill(ContainerId id)
    {
        var record = Get(id);
        lock (record.Gate)
        {
            return record.DeadlineKill;
        }
    }

    /// <summary>
    /// Waits until a start in progress has finished. Returns true when the container is Running (there is something
    /// to stop), false when it never started or has already exited.
    /// </summary>
    private static async Task<bool> WaitForStartAsync(ContainerRecord record, CancellationToken cancellationToken)
    {
        bool attempted;
        lock (record.Gate)
        {
            attempted = record.StartAttempted;
        }
        if (attempted)
        {
            await record.StartCompleted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        lock (record.Gate)
        {
            return record.State.State == ContainerState.Running;
        }
    }

    // Sent once per container, to the main process only, and only while the PID still names it (start time check).
    private void SendStopSignal(ContainerRecord record, int stopSignal)
    {
        lock (record.Gate)
        {
            if (record.StopSignalSent is not null || record.State.State != ContainerState.Running)
            {
                return;
            }
            record.StopSignalSent = stopSignal;
            if (record.State is { Pid: { } pid, PidStartTime: { } start } && ProcStat.IsSameLiveProcess(pid, start))
            {
                Libc.kill(pid, stopSignal);
            }
        }
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: removal is idempotent.
        }
    }

    private void DeleteLogs(string logPath)
    {
        foreach (var file in Logs.RotatingLogFile.FilesOldestFirst(logPath, _options.ContainerLogMaxFiles))
        {
            File.Delete(file);
        }
        EmptyDirectory.TryRemove(Path.GetDirectoryName(logPath));
    }
}
