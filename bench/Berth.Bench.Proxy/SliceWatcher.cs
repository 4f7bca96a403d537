using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.Bench.Proxy;

/// <summary>
/// Watches the EndpointSlices of a namespace over the API (as a second watcher beside the proxy's informer) and records,
/// per pod, the <see cref="Stopwatch"/> timestamp of the first event whose slice shows that pod's endpoint as not
/// ready after an earlier event showed it ready (a watch that ends is opened again). The propagation bench subtracts the DELETE's accepted instant from it to split the path into "the
/// EndpointSlice controller wrote the slice and a watch delivered it" and "the proxy routed away".
/// </summary>
internal sealed class SliceWatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, long> _notReady = new();
    private readonly ConcurrentDictionary<string, bool> _ready = new();
    private readonly Task _loop;

    public SliceWatcher(HttpClient http, string ns)
    {
        _loop = Task.Run(() => LoopAsync(http, ns));
    }

    /// <summary>Waits (up to 30 s) until the watch showed every pod of <paramref name="pods"/> ready.</summary>
    public async Task WaitReadyAsync(IEnumerable<string> pods)
    {
        var deadline = Stopwatch.GetTimestamp() + 30 * Stopwatch.Frequency;
        while (!pods.All(_ready.ContainsKey) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5);
        }
    }

    /// <summary>When a watch event first showed <paramref name="pod"/>'s endpoint not ready, or 0.</summary>
    public long NotReadySeen(string pod) => _notReady.GetValueOrDefault(pod);

    private async Task LoopAsync(HttpClient http, string ns)
    {
        while (!_stop.IsCancellationRequested)
        {
            await WatchAsync(http, ns);
        }
    }

    private async Task WatchAsync(HttpClient http, string ns)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?watch=true");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                var seen = Stopwatch.GetTimestamp();
                foreach (var endpoint in JsonNode.Parse(line)?["object"]?["endpoints"]?.AsArray() ?? [])
                {
                    var pod = endpoint?["targetRef"]?["name"]?.GetValue<string>();
                    var ready = endpoint?["conditions"]?["ready"]?.GetValue<bool>();
                    if (pod is null || ready is null)
                    {
                        continue;
                    }
                    if (ready.Value)
                    {
                        _ready.TryAdd(pod, true);
                    }
                    else if (_ready.ContainsKey(pod))
                    {
                        _notReady.TryAdd(pod, seen);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            // Stopped, or the server went away at the end of the run.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }
}
