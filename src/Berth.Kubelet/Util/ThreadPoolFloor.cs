namespace Berth.Kubelet.Util;

/// <summary>
/// Keeps at least <see cref="MinimumWorkers"/> thread-pool workers ready. The agent's timing contracts (preStop
/// sleep, grace deadlines, SIGKILL at expiry) run as timer continuations on the pool; when a few workers are blocked
/// the pool adds threads only every ~500 ms, which delayed SIGTERM after a 1 s preStop sleep by 0.5–1.4 s in
/// KubeletProcessTests (measured 2026-11-28: all 4 workers stalled for ~600 ms; with 16 the delay was 1.05 s every time).
/// </summary>
/// <remarks>
/// Process-wide and only ever raises the minimum; idempotent and thread-safe. Called by the hosted agent (the server
/// and <c>berth agent</c>), not by <see cref="Kubelet"/> itself, so unit-test processes keep the runtime's default.
/// A later trace (2026-11-28, EventPipe sample profiler, load 26) found no blocked worker: every pool worker was idle
/// while the preStop's 1 s <c>Task.Delay</c> completed 390 ms late, i.e. the process did not get the CPU in time.
/// The floor stays as a cheap guard; it does not fix machine overload.
/// </remarks>
internal static class ThreadPoolFloor
{
    public const int MinimumWorkers = 16;

    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < MinimumWorkers)
        {
            ThreadPool.SetMinThreads(MinimumWorkers, io);
        }
    }
}
