namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>rmdir(2) semantics for cgroup and state directories: removes a directory only when it is empty.</summary>
internal static class EmptyDirectory
{
    /// <summary>
    /// Removes <paramref name="path"/> if it is empty (a cgroup counts as empty once it has no processes and no
    /// children). Returns false when it is still in use or already gone; callers retry later or ignore it.
    /// </summary>
    public static bool TryRemove(string? path)
    {
        if (path is null)
        {
            return false;
        }
        try
        {
            Directory.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
