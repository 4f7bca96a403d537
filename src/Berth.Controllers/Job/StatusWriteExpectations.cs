using System.Globalization;
using Berth.Machinery.Meta;

namespace Berth.Controllers.Job;

/// <summary>
/// Per Job, the resourceVersion of the controller's last status write until the informer delivers it. A sync that
/// ran on an older cached Job would see pods whose finalizer is already gone but not the counts they went into,
/// and would start their work again; such a sync is skipped, and the informer event of the write enqueues the Job.
/// An event with a higher (numeric) or non-numeric resourceVersion also satisfies the expectation, so a relist that
/// skipped the write's own event cannot stall the Job. Thread-safe: workers expect, Job handlers observe.
/// </summary>
public sealed class StatusWriteExpectations
{
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, string> _written = [];

    public void ExpectObserved(ObjectKey job, string? resourceVersion)
    {
        lock (_gate)
        {
            if (resourceVersion is null)
            {
                _written.Remove(job);
                return;
            }
            _written[job] = resourceVersion;
        }
    }

    /// <summary>The informer delivered the Job at <paramref name="resourceVersion"/> (or it was deleted, with null).</summary>
    public void Observed(ObjectKey job, string? resourceVersion)
    {
        lock (_gate)
        {
            if (_written.TryGetValue(job, out var expected) && (resourceVersion is null || !IsOlder(resourceVersion, expected)))
            {
                _written.Remove(job);
            }
        }
    }

    /// <summary>True when the cached Job at <paramref name="cachedResourceVersion"/> may be synced.</summary>
    public bool Satisfied(ObjectKey job, string? cachedResourceVersion)
    {
        lock (_gate)
        {
            return !_written.TryGetValue(job, out var expected) || cachedResourceVersion is null || !IsOlder(cachedResourceVersion, expected);
        }
    }

    private static bool IsOlder(string resourceVersion, string expected) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) &&
        long.TryParse(expected, NumberStyles.None, CultureInfo.InvariantCulture, out var want) && rv < want;
}
