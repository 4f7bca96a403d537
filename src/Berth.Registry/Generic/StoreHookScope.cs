using System.Text.Json.Nodes;

namespace Berth.Registry.Generic;

/// <summary>
/// The <see cref="IStoreHooks.BeginUpdate"/> of one update request across the retries of its read-modify-write loop:
/// a new attempt reverts the previous one, and <see cref="Finish"/> ends the last one. Not thread-safe (one request).
/// </summary>
internal sealed class StoreHookScope(IStoreHooks? hooks, bool dryRun)
{
    private FinishFunc? _pending;

    public void BeginUpdate(JsonObject newObj, JsonObject oldObj)
    {
        if (hooks is null)
        {
            return;
        }
        Finish(false);
        _pending = hooks.BeginUpdate(newObj, oldObj, dryRun);
    }

    /// <summary>Commits (<paramref name="success"/>) or reverts the last attempt, if any.</summary>
    public void Finish(bool success)
    {
        var pending = _pending;
        _pending = null;
        pending?.Invoke(success && !dryRun);
    }
}
