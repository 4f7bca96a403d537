using System.Collections.Concurrent;
using Berth.Machinery.Meta;

namespace Berth.Controllers.Job;

/// <summary>
/// The <see cref="BackoffRecord"/> of each Job, in memory. A sync computes the next record from the pods it counts
/// for the first time and stores it only after the status write that made them counted succeeded, so that a failed
/// write does not count failures twice. Lost on restart, as upstream's. Thread-safe.
/// Mirrors kubernetes/kubernetes pkg/controller/job/backoff_utils.go (backoffStore).
/// </summary>
public sealed class PodBackoffStore
{
    private readonly ConcurrentDictionary<ObjectKey, BackoffRecord> _records = new();

    public BackoffRecord Get(ObjectKey job) => _records.TryGetValue(job, out var record) ? record : BackoffRecord.None;

    public void Update(ObjectKey job, BackoffRecord record) => _records[job] = record;

    public void Remove(ObjectKey job) => _records.TryRemove(job, out _);
}
