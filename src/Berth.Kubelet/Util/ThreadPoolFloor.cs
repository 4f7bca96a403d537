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
/// The workers that block are not identified yet.
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
