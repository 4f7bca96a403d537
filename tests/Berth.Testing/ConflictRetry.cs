using Berth.Machinery.Errors;

namespace Berth.Testing;

/// <summary>
/// Read-modify-write for tests that update an object a running controller also writes (its status), as
/// client-go's retry.RetryOnConflict does for callers: a 409 from a stale read re-runs the whole read and write.
/// </summary>
public static class ConflictRetry
{
    /// <summary>
    /// Runs <paramref name="readModifyWrite"/>, which must read the object itself, until it does not fail with 409;
    /// the fifth conflict in a row is rethrown.
    /// </summary>
    public static async Task RetryOnConflictAsync(Func<Task> readModifyWrite)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await readModifyWrite().ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < 5)
            {
            }
        }
    }
}
