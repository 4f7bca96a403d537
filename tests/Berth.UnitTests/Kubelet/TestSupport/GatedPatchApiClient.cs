using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>
/// Forwards to another <see cref="IApiClient"/>, but holds every PATCH until <see cref="Release"/> and records how many
/// were held at once, so a test can observe which writes overlap.
/// </summary>
internal sealed class GatedPatchApiClient(IApiClient inner) : IApiClient
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;

    /// <summary>PATCHes waiting at the gate now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most PATCHes that were ever waiting at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Lets every held and later PATCH through.</summary>
    public void Release() => _open.TrySetResult();

    public async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(now);
        try
        {
            await _open.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        return await inner.PatchAsync(kind, ns, name, type, patch, subresource, options, cancellationToken);
    }

    public Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(kind, ns, name, cancellationToken);

    public Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(kind, ns, options, cancellationToken);

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(kind, ns, obj, options, cancellationToken);

    public Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(kind, ns, obj, subresource, options, cancellationToken);

    public Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(kind, ns, name, options, cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(kind, ns, options, cancellationToken);

    private void InterlockedMax(int value)
    {
        var seen = Volatile.Read(ref _maxInFlight);
        while (value > seen && Interlocked.CompareExchange(ref _maxInFlight, value, seen) is var prior && prior != seen)
        {
            seen = prior;
        }
    }
}
