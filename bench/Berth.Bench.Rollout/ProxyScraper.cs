using System.Globalization;

namespace Berth.Bench.Rollout;

/// <summary>
/// The proxy's own view of one namespace: scrapes the server's <c>/metrics</c> every 250 ms while a variant runs and
/// keeps, per series, the largest value seen. Per-endpoint series of endpoints that left are dropped after one last
/// export, so summing the last scrape would lose the old pods' connections; the per-series maximum does not (a
/// counter only grows). Counters start at 0 because every variant has a namespace of its own.
/// </summary>
internal sealed class ProxyScraper
{
    private static readonly string[] Counters =
    [
        "berth_proxy_endpoint_connections_total",
        "berth_proxy_endpoint_dial_failures_total",
        "berth_proxy_rejected_connections_total",
    ];

    private readonly Dictionary<string, double> _maxBySeries = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _scrapes;
    private string? _error;

    public ProxyScraper(HttpClient http, string ns, TimeProvider time) => _loop = Task.Run(() => LoopAsync(http, $"namespace=\"{ns}\"", time));

    /// <summary>Per counter: (sum over series of the largest value seen, number of series); plus scrapes and the last error.</summary>
    public sealed record View(IReadOnlyDictionary<string, (double Sum, int Series)> Counters, int Scrapes, string? Error);

    /// <summary>Takes one last scrape, stops and returns the totals.</summary>
    public async Task<View> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        var totals = Counters.ToDictionary(c => c, c =>
        {
            var series = _maxBySeries.Where(s => s.Key.StartsWith(c + "{", StringComparison.Ordinal)).ToList();
            return (series.Sum(s => s.Value), series.Count);
        });
        return new View(totals, _scrapes, _error);
    }

    private async Task LoopAsync(HttpClient http, string label, TimeProvider time)
    {
        while (true)
        {
            var last = _stop.IsCancellationRequested;
            try
            {
                Record(await http.GetStringAsync("/metrics"), label);
                _scrapes++;
            }
            catch (HttpRequestException e)
            {
                _error = e.Message;
            }
            if (last)
            {
                return;
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // One last scrape follows.
            }
        }
    }

    private void Record(string text, string label)
    {
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.Contains(label, StringComparison.Ordinal) || !Counters.Any(c => line.StartsWith(c + "{", StringComparison.Ordinal)))
            {
                continue;
            }
            var space = line.LastIndexOf(' ');
            var value = double.Parse(line.AsSpan(space + 1), CultureInfo.InvariantCulture);
            var series = line[..space];
            _maxBySeries[series] = Math.Max(_maxBySeries.GetValueOrDefault(series), value);
        }
    }
}
