using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// One watch on the pods of a namespace (its own HTTP/2 connection, like an informer). Records, per pod name, the
/// timestamp (<see cref="TimeProvider.GetTimestamp"/>) of the first event showing phase Running and of the DELETED
/// event. Written by the reading task only; readers poll the dictionaries.
/// </summary>
internal sealed class PodWatch : IDisposable
{
    private readonly HttpClient http;
    private readonly TimeProvider time;
    private readonly CancellationTokenSource stop = new();

    private PodWatch(HttpClient http, TimeProvider time)
    {
        this.http = http;
        this.time = time;
    }

    public ConcurrentDictionary<string, long> Running { get; } = new();

    /// <summary>First event showing <c>spec.nodeName</c> set (the scheduler's binding).</summary>
    public ConcurrentDictionary<string, long> Bound { get; } = new();

    public ConcurrentDictionary<string, long> Deleted { get; } = new();

    public Task Completion { get; private set; } = Task.CompletedTask;

    public static async Task<PodWatch> OpenAsync(ServerProcess server, string ns, TimeProvider time)
    {
        var watch = new PodWatch(ApiClients.Create(server, ApiClients.Http2), time);
        var response = await watch.http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?watch=true"),
            HttpCompletionOption.ResponseHeadersRead, watch.stop.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchFailureException($"watch pods in {ns}: {(int)response.StatusCode}");
        }
        var stream = await response.Content.ReadAsStreamAsync(watch.stop.Token).ConfigureAwait(false);
        watch.Completion = watch.ReadAsync(response, stream);
        return watch;
    }

    /// <summary>Waits (bounded) until <paramref name="done"/> holds, polling every 5 ms.</summary>
    public async Task WaitAsync(Func<PodWatch, bool> done, TimeSpan limit, string what)
    {
        var deadline = time.GetTimestamp() + (long)(limit.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!done(this))
        {
            if (time.GetTimestamp() > deadline || Completion.IsCompleted)
            {
                throw new BenchFailureException($"{what}: not observed within {limit.TotalSeconds:F0} s (running {Running.Count}, deleted {Deleted.Count})");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(5), time).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        http.Dispose();
        stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream stream)
    {
        using (response)
        using (var reader = new StreamReader(stream))
        {
            try
            {
                while (await reader.ReadLineAsync(stop.Token).ConfigureAwait(false) is { } line)
                {
                    var now = time.GetTimestamp();
                    Record(line, now);
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
            catch (IOException)
            {
                // Disposed while reading.
            }
        }
    }

    private void Record(string line, long now)
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString();
        var obj = doc.RootElement.GetProperty("object");
        var name = obj.GetProperty("metadata").GetProperty("name").GetString()!;
        if (type == "DELETED")
        {
            Deleted.TryAdd(name, now);
        }
        if (obj.TryGetProperty("spec", out var spec) && spec.TryGetProperty("nodeName", out var node) && node.GetString() is { Length: > 0 })
        {
            Bound.TryAdd(name, now);
        }
        if (type != "DELETED" && obj.TryGetProperty("status", out var status) && status.TryGetProperty("phase", out var phase) && phase.GetString() == "Running")
        {
            Running.TryAdd(name, now);
        }
    }
}
