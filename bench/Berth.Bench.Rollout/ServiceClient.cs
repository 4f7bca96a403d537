using System.Diagnostics;
using System.Net;

namespace Berth.Bench.Rollout;

/// <summary>
/// The load during a rollout: <c>loops</c> concurrent loops, each sending one request per new connection
/// (<see cref="HttpExchange"/>), back to back or paced to a total rate. Records every request's outcome, the latency
/// of the successful ones and the time of every failure. Runs until <see cref="StopAsync"/>; the recorded figures
/// are read after it returns.
/// </summary>
internal sealed class ServiceClient
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<LoopRecord[]> _loops;

    public ServiceClient(IPEndPoint target, int loops, double rate, TimeProvider time)
    {
        var interval = rate > 0 ? TimeSpan.FromSeconds(loops / rate) : TimeSpan.Zero;
        _loops = Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(() => LoopAsync(target, interval, time))));
    }

    /// <summary>One loop's requests: outcome counts, latencies (µs) of successes and (start, end, outcome) of failures.</summary>
    public sealed class LoopRecord
    {
        public int[] Counts { get; } = new int[Enum.GetValues<Outcome>().Length];

        public List<double> LatencyMicros { get; } = [];

        public List<(long At, long Ended, Outcome Outcome)> Failures { get; } = [];
    }

    /// <summary>Stops the loops (requests in flight finish) and returns their records.</summary>
    public async Task<LoopRecord[]> StopAsync()
    {
        await _stop.CancelAsync();
        return await _loops;
    }

    private async Task<LoopRecord> LoopAsync(IPEndPoint target, TimeSpan interval, TimeProvider time)
    {
        var record = new LoopRecord();
        var buffer = new byte[1 << 20];
        var next = time.GetTimestamp();
        while (!_stop.IsCancellationRequested)
        {
            if (interval > TimeSpan.Zero)
            {
                var wait = time.GetElapsedTime(time.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time);
                }
                next += (long)(interval.TotalSeconds * time.TimestampFrequency);
            }
            var started = Stopwatch.GetTimestamp();
            var outcome = await HttpExchange.SendAsync(target, buffer, RequestTimeout);
            record.Counts[(int)outcome]++;
            if (outcome == Outcome.Ok)
            {
                record.LatencyMicros.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
            else
            {
                record.Failures.Add((started, Stopwatch.GetTimestamp(), outcome));
            }
        }
        return record;
    }
}
