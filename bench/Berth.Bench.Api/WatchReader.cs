using System.Globalization;
using System.Text;

namespace Berth.Bench.Api;

/// <summary>
/// One watch connection (its own HttpClient, so its own HTTP/2 connection, like one informer process). Records, per
/// write sequence number, the timestamp at which the event line carrying it arrived. An ERROR event (e.g. the server
/// closed a watcher that fell behind) ends this watcher and is kept in <see cref="Error"/>; a malformed line fails the
/// bench. <see cref="Arrivals"/> is written by the reading task only.
/// </summary>
internal sealed class WatchReader : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private int _received;

    private WatchReader(HttpClient http, TimeProvider time, int maxSequence)
    {
        _http = http;
        _time = time;
        Arrivals = new long[maxSequence + 1];
    }

    /// <summary>Arrival timestamp per sequence number; 0 when that event never arrived.</summary>
    public long[] Arrivals { get; }

    public int Received => Volatile.Read(ref _received);

    /// <summary>The ERROR event that ended this watch, if any.</summary>
    public string? Error { get; private set; }

    /// <summary>True once the stream ended (an ERROR event, the server closed it, or <see cref="Dispose"/>).</summary>
    public bool Ended => Completion.IsCompleted;

    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Opens the watch from <paramref name="resourceVersion"/> and returns once the response headers arrived.</summary>
    public static async Task<WatchReader> OpenAsync(ServerProcess server, string ns, string resourceVersion, int maxSequence, TimeProvider time)
    {
        var reader = new WatchReader(ApiClients.Create(server, ApiClients.Http2), time, maxSequence);
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={resourceVersion}");
        var response = await reader._http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, reader._stop.Token).ConfigureAwait(false);
        await BenchApi.EnsureAsync(response, System.Net.HttpStatusCode.OK, "watch pods").ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(reader._stop.Token).ConfigureAwait(false);
        reader.Completion = reader.ReadAsync(response, stream);
        return reader;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream stream)
    {
        using (response)
        using (var lines = new StreamReader(stream, Encoding.UTF8))
        {
            try
            {
                while (await lines.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
                {
                    if (line.StartsWith("{\"type\":\"ERROR\"", StringComparison.Ordinal))
                    {
                        Error = line[..Math.Min(line.Length, 300)];
                        return;
                    }
                    Record(line, _time.GetTimestamp());
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException && _stop.IsCancellationRequested)
            {
                // Stopped by Dispose.
            }
        }
    }

    private void Record(string line, long arrived)
    {
        var at = line.IndexOf(BenchPod.SequenceMarker, StringComparison.Ordinal);
        var digits = at < 0 ? ReadOnlySpan<char>.Empty : line.AsSpan(at + BenchPod.SequenceMarker.Length);
        var end = digits.IndexOf('"');
        if (end < 0 || !int.TryParse(digits[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || sequence >= Arrivals.Length)
        {
            throw new BenchFailureException("watch event without a valid sequence annotation: " + line[..Math.Min(line.Length, 300)]);
        }
        Arrivals[sequence] = arrived;
        Interlocked.Increment(ref _received);
    }
}
