using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.IntegrationTests.Termination;

/// <summary>One watch event of the observed pod, with the instant the test saw it.</summary>
internal sealed record PodObservation(DateTimeOffset At, ApiWatchEventType Type, V1Pod Pod);

/// <summary>
/// Everything a watch shows for one pod name, from before it is created until disposed: lets tests assert the order of
/// status writes (terminal phase before DELETED). Thread-safe snapshot via <see cref="Observations"/>.
/// </summary>
internal sealed class PodHistory : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<PodObservation> seen = [];
    private readonly Task pump;

    public PodHistory(IApiClient api, string ns, string name)
    {
        pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in api.WatchAsync(KindRegistry.Pods, ns, cancellationToken: stop.Token).ConfigureAwait(false))
                {
                    if ((e.Type is ApiWatchEventType.Added or ApiWatchEventType.Modified or ApiWatchEventType.Deleted)
                        && (string?)e.Object["metadata"]?["name"] == name)
                    {
                        lock (seen)
                        {
                            seen.Add(new PodObservation(TimeProvider.System.GetUtcNow(), e.Type, ApiJson.ToModel<V1Pod>(e.Object)));
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Disposed.
            }
        });
    }

    public IReadOnlyList<PodObservation> Observations
    {
        get
        {
            lock (seen)
            {
                return [.. seen];
            }
        }
    }

    public async Task<PodObservation> WaitForAsync(Func<PodObservation, bool> match, string because, TimeSpan? timeout = null)
    {
        PodObservation? found = null;
        await AsyncTestHelpers.WaitUntilAsync(() => (found = Observations.FirstOrDefault(match)) is not null, timeout, because);
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await pump.DefaultTimeout();
        }
        catch (TimeoutException)
        {
            // The watch did not notice the cancellation in time; it ends with the server.
        }
        stop.Dispose();
    }
}
