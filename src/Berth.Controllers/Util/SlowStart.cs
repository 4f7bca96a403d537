namespace Berth.Controllers.Util;

/// <summary>
/// Runs <paramref name="count"/> calls in batches of 1, 2, 4, … (each batch in parallel) and stops after the first
/// batch with a failure, so that a quota or admission error costs one failed call, not hundreds.
/// Mirrors kubernetes/kubernetes pkg/controller/replicaset/replica_set.go (slowStartBatch).
/// </summary>
public static class SlowStart
{
    /// <summary>Returns how many calls succeeded and the first error (null when all succeeded).</summary>
    public static async Task<(int Successes, Exception? Error)> BatchAsync(int count, int initialBatchSize, Func<Task> fn)
    {
        var remaining = count;
        var successes = 0;
        for (var batch = Math.Min(remaining, initialBatchSize); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            var tasks = Enumerable.Range(0, batch).Select(_ => fn()).ToArray();
            try
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Inspected below, task by task.
            }
            var failed = tasks.Where(t => !t.IsCompletedSuccessfully).ToList();
            successes += batch - failed.Count;
            if (failed.Count > 0)
            {
                return (successes, failed[0].Exception?.InnerException ?? failed[0].Exception);
            }
            remaining -= batch;
        }
        return (successes, null);
    }
}
