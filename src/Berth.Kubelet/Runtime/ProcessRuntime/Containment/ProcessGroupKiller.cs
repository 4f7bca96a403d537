using Berth.Kubelet.Interop;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Containment;

/// <summary>
/// Tree kill without a cgroup. The container's main process leads its own session (started through setsid), so
/// <c>kill(-pgid, SIGKILL)</c> takes its process group at once; then <see cref="ContainerMarker"/> scans catch what
/// left the group (setsid daemons, processes that changed their group), repeated until two scans in a row find
/// nothing, so a process forking during a scan is caught by the next round. Two, because a process in the middle of
/// execve shows an empty environ for a moment (the new address space has no environment yet) and one scan can miss it.
/// </summary>
internal static class ProcessGroupKiller
{
    private const int MaxRounds = 20;

    /// <summary>
    /// SIGKILLs every process of the container except <paramref name="sparePid"/> (the shim, which must live to
    /// record the exit code). Returns the number of rounds that still found processes.
    /// </summary>
    public static int KillAll(ContainerId id, int? mainPid, ulong? mainStartTime, int sparePid)
    {
        if (mainPid is { } pid && mainStartTime is { } start && ProcStat.IsSameLiveProcess(pid, start)
            && Libc.getpgid(pid) == pid && pid != sparePid)
        {
            Libc.kill(-pid, Signals.SIGKILL);
        }
        var self = Environment.ProcessId;
        var emptyScans = 0;
        var foundRounds = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var victims = ContainerMarker.FindProcesses(id).Where(p => p != sparePid && p != self).ToList();
            if (victims.Count == 0)
            {
                if (++emptyScans == 2)
                {
                    return foundRounds;
                }
                continue;
            }
            emptyScans = 0;
            foundRounds++;
            foreach (var victim in victims)
            {
                Libc.kill(victim, Signals.SIGKILL);
            }
        }
        return foundRounds;
    }
}
