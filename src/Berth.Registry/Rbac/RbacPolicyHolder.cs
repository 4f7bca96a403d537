namespace Berth.Registry.Rbac;

/// <summary>
/// The current <see cref="RbacPolicySnapshot"/>: one writer (the policy controller) publishes whole snapshots, any
/// number of request threads read <see cref="Current"/> without locking. <see cref="WhenSyncedAsync"/> completes with
/// the first publication, so that no request is judged against the empty policy of a server still starting.
/// Thread-safe singleton.
/// </summary>
public sealed class RbacPolicyHolder
{
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RbacPolicySnapshot _current = RbacPolicySnapshot.Empty;

    /// <summary>The newest snapshot (empty until the first publication).</summary>
    public RbacPolicySnapshot Current => _current;

    /// <summary>True once a snapshot built from synced informers has been published.</summary>
    public bool IsSynced => _synced.Task.IsCompleted;

    /// <summary>Replaces the snapshot; readers see either the old or the new one, never a mix.</summary>
    public void Publish(RbacPolicySnapshot snapshot)
    {
        _current = snapshot;
        _synced.TrySetResult();
    }

    /// <summary>Completes once <see cref="Publish"/> has been called (at once afterwards).</summary>
    public Task WhenSyncedAsync(CancellationToken cancellationToken) =>
        _synced.Task.IsCompleted ? Task.CompletedTask : _synced.Task.WaitAsync(cancellationToken);
}
