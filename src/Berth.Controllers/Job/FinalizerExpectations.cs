using Berth.Machinery.Meta;

namespace Berth.Controllers.Job;

/// <summary>
/// Per Job, the UIDs of pods whose tracking finalizer the controller removed but whose update the informer has not
/// delivered yet. A sync treats those pods as already counted, so that a stale cache cannot count a pod twice.
/// Thread-safe: workers expect, pod handlers observe. Mirrors kubernetes/kubernetes
/// pkg/controller/job/tracking_utils.go (uidTrackingExpectations).
/// </summary>
public sealed class FinalizerExpectations
{
    private readonly object _gate = new();
    private readonly Dictionary<ObjectKey, HashSet<string>> _expected = [];

    public void ExpectFinalizersRemoved(ObjectKey job, IEnumerable<string> podUids)
    {
        lock (_gate)
        {
            if (!_expected.TryGetValue(job, out var uids))
            {
                _expected[job] = uids = [];
            }
            uids.UnionWith(podUids);
        }
    }

    /// <summary>The pod's update without the finalizer (or its deletion) arrived, or the removal failed.</summary>
    public void FinalizerRemovalObserved(ObjectKey job, string podUid)
    {
        lock (_gate)
        {
            if (_expected.TryGetValue(job, out var uids) && uids.Remove(podUid) && uids.Count == 0)
            {
                _expected.Remove(job);
            }
        }
    }

    /// <summary>A snapshot of the UIDs still expected for <paramref name="job"/>.</summary>
    public IReadOnlySet<string> GetExpectedUids(ObjectKey job)
    {
        lock (_gate)
        {
            return _expected.TryGetValue(job, out var uids) ? new HashSet<string>(uids) : new HashSet<string>();
        }
    }

    public void DeleteExpectations(ObjectKey job)
    {
        lock (_gate)
        {
            _expected.Remove(job);
        }
    }
}
