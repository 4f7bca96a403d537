namespace Berth.Bench.Api;

/// <summary>
/// Watch delivery latency: W watchers each on its own connection watch one namespace of 100 pods from the list's
/// resourceVersion; a paced writer updates those pods at R writes/s for the phase duration, stamping each write with
/// a sequence number. Latency per watcher×event pair runs from just before the PUT is sent to the moment the event
/// line reaches that watcher (an upper bound of commit→client, as it includes the PUT's request half).
/// </summary>
internal sealed class WatchBench(BenchOptions options, TimeProvider time)
{
    private const int Pods = 100;
    private const int WriteConnections = 4;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(15);

    public async Task<WatchRow> RunAsync(ServerProcess server, int rate)
    {
        var ns = $"watch-{rate}";
        await PodLoader.LoadAsync(server, ns, 0, Pods).ConfigureAwait(false);
        using var writers = await ClientPool.OpenAsync(server, ApiClients.Http2, WriteConnections).ConfigureAwait(false);
        var total = (int)(rate * options.PacedDuration.TotalSeconds);
        var rv = await writers.Apis[0].ListResourceVersionAsync(ns).ConfigureAwait(false);
        var watchers = new List<WatchReader>();
        try
        {
            for (var w = 0; w < options.Watchers; w++)
            {
                watchers.Add(await WatchReader.OpenAsync(server, ns, rv, total, time).ConfigureAwait(false));
            }
            var cpu = server.Cpu();
            var (sent, writeLatencies) = await WriteAsync(writers, ns, rate, total).ConfigureAwait(false);
            await DrainAsync(watchers, total).ConfigureAwait(false);
            var cpuMs = (server.Cpu() - cpu).TotalMilliseconds / total;
            var delivery = DeliveryLatencies(watchers, sent, total);
            var dropped = watchers.Where(w => w.Error is not null).ToList();
            if (dropped.Count > 0)
            {
                Progress.Say($"watch: {dropped.Count} watchers ended with an ERROR event, e.g. {dropped[0].Error}");
            }
            return new WatchRow(server.Store, watchers.Count, rate, total, total * watchers.Count, delivery.Count, delivery, writeLatencies, cpuMs)
            {
                Dropped = dropped.Count,
            };
        }
        finally
        {
            watchers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>Send → arrival of every watcher×event pair that arrived.</summary>
    private Latencies DeliveryLatencies(List<WatchReader> watchers, long[] sent, int total)
    {
        var delivery = new Latencies();
        foreach (var watcher in watchers)
        {
            for (var seq = 1; seq <= total; seq++)
            {
                if (watcher.Arrivals[seq] != 0)
                {
                    delivery.Add(time.GetElapsedTime(sent[seq], watcher.Arrivals[seq]).TotalMilliseconds);
                }
            }
        }
        return delivery;
    }

    /// <summary>Paced updates with sequence numbers 1..total; returns each write's send timestamp and its latency.</summary>
    private async Task<(long[] Sent, Latencies Latencies)> WriteAsync(ClientPool pool, string ns, int rate, int total)
    {
        var sent = new long[total + 1];
        var latencies = new Latencies();
        var inFlight = new List<Task>(total);
        var start = time.GetTimestamp();
        for (var seq = 1; seq <= total; seq++)
        {
            var due = TimeSpan.FromSeconds((double)(seq - 1) / rate) - time.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, time).ConfigureAwait(false);
            }
            var api = pool.Apis[seq % WriteConnections];
            var n = seq;
            inFlight.Add(Task.Run(async () =>
            {
                sent[n] = time.GetTimestamp();
                await api.UpdatePodAsync(ns, n % Pods, n).ConfigureAwait(false);
                latencies.Add(time.GetElapsedTime(sent[n]).TotalMilliseconds);
            }));
        }
        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(60), time).ConfigureAwait(false);
        return (sent, latencies);
    }

    /// <summary>Waits (bounded) until every live watcher has every event; a watcher that failed fails the bench.</summary>
    private async Task DrainAsync(List<WatchReader> watchers, int total)
    {
        var start = time.GetTimestamp();
        while (time.GetElapsedTime(start) < DrainLimit && watchers.Any(w => w.Received < total && !w.Ended))
        {
            if (watchers.FirstOrDefault(w => w.Completion.IsFaulted) is { } failed)
            {
                await failed.Completion.ConfigureAwait(false);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), time).ConfigureAwait(false);
        }
    }
}
