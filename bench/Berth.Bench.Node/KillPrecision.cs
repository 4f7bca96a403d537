using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// Pods whose main process ignores SIGTERM, grace 1 s: the node agent must SIGKILL them at the deadline. The effective
/// stop timeout is max(grace, 2) = 2 s (the kubelet's 2 s floor, kubernetes-termination.md §2.4), so the deadline is
/// the DELETE's acceptance (its response arriving) + 2 s. The kill instant is the process's end as the kernel reports
/// it through a pidfd. Pods are deleted <c>concurrency</c> at a time; each records its shell's PID in a scratch file.
/// </summary>
internal static class KillPrecision
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    public static async Task<Latencies> RunAsync(ServerProcess server, NodeApi api, string ns, int count, int concurrency, TimeProvider time)
    {
        var pids = Directory.CreateTempSubdirectory("berth-bench-pids-").FullName;
        try
        {
            using var watch = await PodWatch.OpenAsync(server, ns, time).ConfigureAwait(false);
            var names = Enumerable.Range(0, count).Select(i => $"stubborn-{i:D3}").ToList();
            foreach (var name in names)
            {
                var script = $"trap '' TERM; echo $$$$ > {pids}/{name}.tmp && mv {pids}/{name}.tmp {pids}/{name}.pid; while :; do sleep 1; done";
                await api.CreatePodAsync(ns, NodeApi.Pod(name, 1, "/bin/sh", "-c", script)).ConfigureAwait(false);
            }
            await watch.WaitAsync(w => w.Running.Count >= count, TimeSpan.FromSeconds(120), $"{count} stubborn pods Running").ConfigureAwait(false);

            var late = new Latencies();
            using var gate = new SemaphoreSlim(concurrency);
            await Task.WhenAll(names.Select(async name =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    late.Add(await KillOneAsync(api, ns, name, Path.Combine(pids, name + ".pid"), time).ConfigureAwait(false));
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            return late;
        }
        finally
        {
            Directory.Delete(pids, recursive: true);
        }
    }

    // ("$$$$" is "$$" after the kubelet's $(VAR) expansion, which turns "$$" into "$".)
    // Milliseconds between the SIGKILL (process end) and the deadline; negative = early.
    private static async Task<double> KillOneAsync(NodeApi api, string ns, string name, string pidFile, TimeProvider time)
    {
        for (var waited = 0; !File.Exists(pidFile); waited += 10)
        {
            if (waited > 10_000)
            {
                throw new BenchFailureException($"{name} never wrote its PID");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), time).ConfigureAwait(false);
        }
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var exit = ProcessExit.WaitAsync(pid, time, TimeSpan.FromSeconds(30));
        await api.DeletePodAsync(ns, name).ConfigureAwait(false);
        var accepted = time.GetTimestamp();
        var killed = await exit.ConfigureAwait(false);
        return Ticks.Ms(Ticks.Add(accepted, StopTimeout, time), killed, time);
    }
}
