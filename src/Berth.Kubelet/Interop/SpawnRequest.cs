namespace Berth.Kubelet.Interop;

/// <summary>What <see cref="PosixSpawn.Spawn"/> starts: an absolute path, the full argv (argv[0] included) and envp.</summary>
/// <param name="Path">Absolute path of the executable; no PATH search happens.</param>
/// <param name="Argv">argv, including argv[0].</param>
/// <param name="Environment">envp entries, each <c>NAME=value</c>.</param>
internal sealed record SpawnRequest(string Path, IReadOnlyList<string> Argv, IReadOnlyList<string> Environment)
{
    /// <summary>Working directory of the child (posix_spawn_file_actions_addchdir_np); null keeps the agent's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>POSIX_SPAWN_SETSID: the child leads a new session and process group (pgid = sid = pid).</summary>
    public bool NewSession { get; init; }

    /// <summary>
    /// Descriptors to place in the child: key = child fd, value = an open fd of ours (dup2 clears close-on-exec).
    /// Every other descriptor of ours is close-on-exec (.NET opens all files that way), so nothing else leaks.
    /// </summary>
    public IReadOnlyDictionary<int, int> Descriptors { get; init; } = new Dictionary<int, int>();

    /// <summary>Files the child opens onto a fd before exec (key = child fd), e.g. 0 → /dev/null.</summary>
    public IReadOnlyDictionary<int, (string Path, int Flags)> Opens { get; init; } = new Dictionary<int, (string, int)>();
}
