using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.Bench.Rollout;

/// <summary>
/// A watch on the EndpointSlices of one namespace (its own connection, like the proxy's informer), recording for every
/// pod (the endpoint's <c>targetRef.name</c>) when the bench first saw it ready and when it first saw it leave the
/// ready set (not ready, terminating, or gone from every slice). Times are <see cref="Stopwatch"/> arrival
/// timestamps. Written by the reading task only; read after <see cref="StopAsync"/>.
/// </summary>
internal sealed class EndpointWatch
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, HashSet<string>> _readyBySlice = [];
    private HashSet<string> _ready = [];
    private Task _reading = Task.CompletedTask;

    private EndpointWatch(HttpClient http) => _http = http;

    public Dictionary<string, long> BecameReady { get; } = [];

    public Dictionary<string, long> LeftReady { get; } = [];

    public static async Task<EndpointWatch> OpenAsync(BerthServer server, string ns)
    {
        var watch = new EndpointWatch(server.CreateHttp(Timeout.InfiniteTimeSpan));
        var response = await watch._http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?watch=true"),
            HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var stream = await response.Content.ReadAsStreamAsync();
        watch._reading = watch.ReadAsync(response, stream);
        return watch;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reading;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
        {
            // The watch ends by cancellation.
        }
        _http.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream stream)
    {
        using (response)
        using (var reader = new StreamReader(stream))
        {
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                Record(JsonNode.Parse(line)!, Stopwatch.GetTimestamp());
            }
        }
    }

    private void Record(JsonNode watchEvent, long at)
    {
        var slice = watchEvent["object"]!;
        var name = (string)slice["metadata"]!["name"]!;
        if ((string?)watchEvent["type"] == "DELETED")
        {
            _readyBySlice.Remove(name);
        }
        else
        {
            _readyBySlice[name] = [.. (slice["endpoints"]?.AsArray() ?? []).Where(e => (bool?)e!["conditions"]?["ready"] == true)
                .Select(e => (string?)e!["targetRef"]?["name"] ?? (string)e["addresses"]![0]!)];
        }
        var ready = _readyBySlice.Values.SelectMany(s => s).ToHashSet();
        foreach (var pod in ready.Except(_ready))
        {
            BecameReady.TryAdd(pod, at);
        }
        foreach (var pod in _ready.Except(ready))
        {
            LeftReady.TryAdd(pod, at);
        }
        _ready = ready;
    }
}
