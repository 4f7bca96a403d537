using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Job;

public sealed partial class JobController
{
    /// <summary>
    /// The indexes recorded in <c>status.completedIndexes</c>, and those plus the indexes of succeeded pods that
    /// still hold the tracking finalizer (upstream calculateSucceededIndexes).
    /// </summary>
    private static (CompletedIndexes Previous, CompletedIndexes Current) CalculateSucceededIndexes(JobSyncContext ctx)
    {
        var completions = ctx.Completions ?? 0;
        var previous = CompletedIndexes.Parse(ctx.Job.GetString("status", "completedIndexes"), completions);
        var added = ctx.Pods
            .Where(p => p.Status?.Phase == "Succeeded" && JobPods.HasJobTrackingFinalizer(p) && !ctx.ExpectedRmFinalizers.Contains(p.Metadata.Uid))
            .Select(JobPods.GetCompletionIndex)
            .Where(ix => ix != JobPods.UnknownCompletionIndex && ix < completions);
        return (previous, previous.With(added));
    }

    /// <summary>The lowest <paramref name="count"/> indexes that neither succeeded nor have an active pod (upstream firstPendingIndexes).</summary>
    private static List<int> FirstPendingIndexes(JobSyncContext ctx, int count)
    {
        var active = ctx.ActivePods.Select(JobPods.GetCompletionIndex).ToHashSet();
        var pending = new List<int>();
        for (var ix = 0; ix < (ctx.Completions ?? 0) && pending.Count < count; ix++)
        {
            if (!ctx.SucceededIndexes.Contains(ix) && !active.Contains(ix))
            {
                pending.Add(ix);
            }
        }
        return pending;
    }

    /// <summary>Pods of an Indexed Job by completion index, so that indexes enter completedIndexes in order.</summary>
    private static IEnumerable<V1Pod> InTrackingOrder(JobSyncContext ctx) =>
        ctx.IsIndexed ? ctx.Pods.OrderBy(JobPods.GetCompletionIndex) : ctx.Pods;
}
