namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// Finds argv[0] the way the shim's <c>exec</c> will (the container's PATH, relative to its working directory), so
/// a missing executable becomes a StartError before anything is spawned instead of an exit code 127.
/// </summary>
internal static class ExecutableResolver
{
    /// <summary>containerd's default PATH for an image that sets none (also dash's default).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// Returns the resolved path, or null with a runtime-style message in <paramref name="error"/>. Files are looked
    /// for below <paramref name="root"/> (e.g. <c>/proc/PID/root</c>, another mount namespace's view; empty = this
    /// process's); the returned path does not include it.
    /// </summary>
    public static string? Resolve(string command, string? pathVariable, string workingDirectory, out string? error, string root = "")
    {
        error = null;
        if (command.Length == 0)
        {
            error = "exec: no command";
            return null;
        }
        if (command.Contains('/'))
        {
            var candidate = Path.IsPathRooted(command) ? command : Path.Combine(workingDirectory, command);
            if (IsExecutableFile(root + candidate))
            {
                return candidate;
            }
            error = File.Exists(root + candidate)
                ? $"exec: \"{command}\": permission denied"
                : $"exec: \"{command}\": stat {command}: no such file or directory";
            return null;
        }
        foreach (var dir in (pathVariable ?? DefaultPath).Split(':'))
        {
            var candidate = Path.Combine(dir.Length == 0 ? workingDirectory : dir, command);
            if (IsExecutableFile(root + candidate))
            {
                return candidate;
            }
        }
        error = $"exec: \"{command}\": executable file not found in $PATH";
        return null;
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            return File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & anyExecute) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
