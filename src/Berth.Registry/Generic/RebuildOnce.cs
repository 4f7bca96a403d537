using System.Text.Json.Nodes;

namespace Berth.Registry.Generic;

/// <summary>
/// In-memory state rebuilt from a kind's stored objects before its first use, exactly once: concurrent first callers
/// wait for the one rebuild; later calls return at once. A rebuild that throws (a cancelled or failed list) is tried
/// again by the next caller. Used by store-hook state that must reflect what is stored (service allocators, the
/// default PriorityClass).
/// </summary>
internal sealed class RebuildOnce(Action<IReadOnlyList<JsonObject>> rebuild)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done;

    public async Task EnsureAsync(Func<CancellationToken, Task<IReadOnlyList<JsonObject>>> listStored, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return;
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                rebuild(await listStored(cancellationToken).ConfigureAwait(false));
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
