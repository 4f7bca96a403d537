namespace Berth.Testing.Processes;

/// <summary>
/// How long a fixture waits for a node (server or agent) to stop after SIGTERM or StopAsync: its
/// <c>--shutdown-grace-period</c>, plus the host's margin over it (HostOptions.ShutdownTimeout = grace + 20 s, set in
/// KubeletServices: the per-group stop-signal slack, the final kill of what still runs, the last status flush), plus
/// 5 s for the process to exit. A node that takes longer is SIGKILLed and its pods reaped.
/// </summary>
public static class NodeStopTimeout
{
    public static TimeSpan For(TimeSpan shutdownGracePeriod) => shutdownGracePeriod + TimeSpan.FromSeconds(25);
}
