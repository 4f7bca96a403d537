using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Testing.Fakes;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>
/// Forwards to another <see cref="IApiClient"/>, but holds every PATCH until <see cref="Release"/> and records how many
/// were held at once, so a test can observe which writes overlap.
/// </summary>
internal sealed class GatedPatchApiClient(IApiClient inner) : DelegatingApiClient(inner)
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

    public override async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
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
        return await Inner.PatchAsync(kind, ns, name, type, patch, subresource, options, cancellationToken);
    }

    private void InterlockedMax(int value)
    {
        var seen = Volatile.Read(ref _maxInFlight);
        while (value > seen && Interlocked.CompareExchange(ref _maxInFlight, value, seen) is var prior && prior != seen)
        {
            seen = prior;
        }
    }
}
