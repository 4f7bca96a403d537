using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// <c>--stages</c>: splits each pod's create → Running time into the pipeline's stages from the server's own log
/// lines (console format <c>HH:mm:ss.fff level: Category[EventId] message</c>, local time, millisecond resolution)
/// and the bench's timestamps: POST answered; bound (scheduler 2300); the pod worker's first SyncPod (5101);
/// container started (5311); Running status patched (5601); Running seen on the watch. Per stage: p50 and p99 of
/// the pods' time in it, and when (after the first POST) the last pod left it — the stage whose "last out" jumps
/// is where the burst queues. Debug logging costs server CPU: take CPU and rate figures from runs without it.
/// </summary>
internal static partial class StageBreakdown
{
    /// <summary>Log levels the breakdown needs (server environment variables).</summary>
    public static readonly IReadOnlyDictionary<string, string> ServerEnvironment = new Dictionary<string, string>
    {
        ["Logging__LogLevel__Berth.Controllers.Scheduling"] = "Information",
        ["Logging__LogLevel__Berth.Kubelet.PodWorkers"] = "Debug",
        ["Logging__LogLevel__Berth.Kubelet.KubeRuntime.ContainerStarter"] = "Information",
        ["Logging__LogLevel__Berth.Kubelet.Status.StatusManager"] = "Debug",
    };

    [GeneratedRegex(@"^(\d\d:\d\d:\d\d\.\d\d\d) \w+: [\w.]+\[(\d+)\] (.*)$")]
    private static partial Regex LogLine();

    [GeneratedRegex(@"^Successfully bound pod [^/]+/(\S+) to node")]
    private static partial Regex Bound();

    [GeneratedRegex(@"^Pod worker (\S+): SyncPod")]
    private static partial Regex Worker();

    [GeneratedRegex(@"^Started container .* of pod [^/]+/(\S+), restart count")]
    private static partial Regex Started();

    [GeneratedRegex(@"^Patched status of pod [^/]+/(\S+) \((\S+)\): phase Running")]
    private static partial Regex Patched();

    /// <summary>The breakdown of one burst as a Markdown table; <paramref name="anchor"/> pairs a local time with a timestamp.</summary>
    public static string Render(IEnumerable<string> serverOutput, BurstTimes times, (DateTimeOffset Local, long Timestamp) anchor, TimeProvider time)
    {
        var logs = Parse(serverOutput);
        var names = times.Names;
        var t0 = times.Sent.Min();
        // Each stage's end per pod, in ms after the first POST (NaN when its log line is missing).
        double Bench(long ts) => ts == 0 ? double.NaN : Ticks.Ms(t0, ts, time);
        double Log(Dictionary<string, TimeSpan> at, string name) =>
            at.TryGetValue(name, out var tod) ? Offset(tod, anchor, t0, time) : double.NaN;
        var stages = new (string Name, Func<int, double> End)[]
        {
            ("POST answered (create latency)", i => Bench(times.Created[i])),
            ("bound (scheduler's log)", i => Log(logs.Bound, names[i])),
            ("pod worker's first SyncPod", i => Log(logs.Worker, names[i])),
            ("container started", i => Log(logs.Started, names[i])),
            ("Running status patched", i => Log(logs.Patched, names[i])),
            ("Running seen on the watch", i => Bench(times.Running[i])),
        };
        var sb = new StringBuilder("| stage (time since the previous one) | p50 ms | p99 ms | last pod out, ms after the first POST |\n|---|---|---|---|\n");
        Func<int, double> previous = i => Bench(times.Sent[i]);
        foreach (var (name, end) in stages)
        {
            var span = new Latencies();
            var last = 0.0;
            for (var i = 0; i < names.Count; i++)
            {
                var (from, to) = (previous(i), end(i));
                if (!double.IsNaN(from) && !double.IsNaN(to))
                {
                    span.Add(to - from);
                    last = Math.Max(last, to);
                }
            }
            sb.Append(CultureInfo.InvariantCulture, $"| {name} | {(span.Count == 0 ? "—" : span.P50.ToString("F0", CultureInfo.InvariantCulture))} | {(span.Count == 0 ? "—" : span.P99.ToString("F0", CultureInfo.InvariantCulture))} | {last:F0} ({span.Count} pods) |\n");
            previous = end;
        }
        return sb.ToString();
    }

    // A log time of day as ms after the first POST, through the anchor (within ±12 h, so midnight wraps correctly).
    private static double Offset(TimeSpan logTime, (DateTimeOffset Local, long Timestamp) anchor, long t0, TimeProvider time)
    {
        var delta = (logTime - anchor.Local.TimeOfDay).TotalMilliseconds;
        delta -= Math.Round(delta / 86_400_000) * 86_400_000;
        return delta + Ticks.Ms(t0, anchor.Timestamp, time);
    }

    private sealed record ServerLog(Dictionary<string, TimeSpan> Bound, Dictionary<string, TimeSpan> Worker, Dictionary<string, TimeSpan> Started,
        Dictionary<string, TimeSpan> Patched);

    // First occurrence per pod of each line; the worker's line names a UID, mapped to the pod by the status line.
    private static ServerLog Parse(IEnumerable<string> output)
    {
        var log = new ServerLog([], [], [], []);
        var byUid = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var uidToName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output)
        {
            if (LogLine().Match(line) is not { Success: true } m)
            {
                continue;
            }
            var at = TimeSpan.ParseExact(m.Groups[1].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
            var message = m.Groups[3].Value;
            switch (m.Groups[2].Value)
            {
                case "2300" when Bound().Match(message) is { Success: true } b:
                    log.Bound.TryAdd(b.Groups[1].Value, at);
                    break;
                case "5101" when Worker().Match(message) is { Success: true } w:
                    byUid.TryAdd(w.Groups[1].Value, at);
                    break;
                case "5311" when Started().Match(message) is { Success: true } s:
                    log.Started.TryAdd(s.Groups[1].Value, at);
                    break;
                case "5601" when Patched().Match(message) is { Success: true } p:
                    log.Patched.TryAdd(p.Groups[1].Value, at);
                    uidToName.TryAdd(p.Groups[2].Value, p.Groups[1].Value);
                    break;
            }
        }
        foreach (var (uid, at) in byUid)
        {
            if (uidToName.TryGetValue(uid, out var name))
            {
                log.Worker.TryAdd(name, at);
            }
        }
        return log;
    }
}
