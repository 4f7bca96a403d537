using System.Text.RegularExpressions;

namespace Berth.Bench.Rollout;

/// <summary>
/// When each old pod of one run was taken out of the Service and when it got its stop signal, all as
/// <see cref="System.Diagnostics.Stopwatch"/> arrival timestamps at the bench: <see cref="LeftReady"/> from the
/// EndpointSlice watch, <see cref="Terminating"/> and <see cref="SigTerm"/> from the server's log lines "Terminating
/// pod ns/name" (the kubelet saw the deletion) and "Killing container … of pod ns/name" (logged right before the stop
/// signal, after any preStop hook). A console log line reaches the bench a few ms after it was written.
/// </summary>
internal sealed partial record Termination(
    IReadOnlyDictionary<string, long> LeftReady, IReadOnlyDictionary<string, long> Terminating, IReadOnlyDictionary<string, long> SigTerm)
{
    public static Termination From(EndpointWatch watch, IReadOnlyList<(long At, string Line)> serverLines, string ns) =>
        new(watch.LeftReady, FirstByPod(serverLines, TerminatingLine(), ns), FirstByPod(serverLines, KillingLine(), ns));

    /// <summary>SIGTERM − left the ready set, in ms, for every pod that has both.</summary>
    public IReadOnlyList<double> SigTermAfterLeftReadyMs() =>
        [.. SigTerm.Where(k => LeftReady.ContainsKey(k.Key)).Select(k => Ms(LeftReady[k.Key], k.Value)).Order()];

    /// <summary>Left the ready set − the kubelet began terminating, in ms (how late the Service is relative to the node).</summary>
    public IReadOnlyList<double> LeftReadyAfterTerminatingMs() =>
        [.. Terminating.Where(k => LeftReady.ContainsKey(k.Key)).Select(k => Ms(k.Value, LeftReady[k.Key])).Order()];

    /// <summary>
    /// The SIGTERM nearest to a request that started at <paramref name="at"/>: the pod and the signal's time relative to
    /// the start (positive: the pod was signalled while the request was in flight or after), or null when none was sent.
    /// </summary>
    public (string Pod, double Ms)? NearestSigTerm(long at) =>
        SigTerm.OrderBy(k => Math.Abs(k.Value - at)).Select(k => ((string, double)?)(k.Key, Ms(at, k.Value))).FirstOrDefault();

    private static double Ms(long from, long to) => (to - from) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    private static Dictionary<string, long> FirstByPod(IReadOnlyList<(long At, string Line)> lines, Regex pattern, string ns)
    {
        var byPod = new Dictionary<string, long>();
        foreach (var (at, line) in lines)
        {
            if (pattern.Match(line) is { Success: true } m && m.Groups["ns"].Value == ns)
            {
                byPod.TryAdd(m.Groups["pod"].Value, at);
            }
        }
        return byPod;
    }

    [GeneratedRegex(@"Terminating pod (?<ns>[^/\s]+)/(?<pod>\S+) ")]
    private static partial Regex TerminatingLine();

    [GeneratedRegex(@"Killing container \S+ \(\S+\) of pod (?<ns>[^/\s]+)/(?<pod>\S+) ")]
    private static partial Regex KillingLine();
}
