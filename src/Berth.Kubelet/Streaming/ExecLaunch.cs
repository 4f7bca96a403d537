namespace Berth.Kubelet.Streaming;

/// <summary>
/// A command ready to start in a container's context (from <see cref="IContainerStreamingRuntime.PrepareExec"/>).
/// A class, not a record, so the environment (which may hold secrets) never appears in a generated ToString.
/// </summary>
public sealed class ExecLaunch(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string workingDirectory,
    string? missingExecutable = null)
{
    /// <summary>Absolute path of the program to spawn.</summary>
    public string Path { get; } = path;

    /// <summary>Full argv, argv[0] included.</summary>
    public IReadOnlyList<string> Argv { get; } = argv;

    /// <summary>envp entries (<c>NAME=value</c>); never logged.</summary>
    public IReadOnlyList<string> Environment { get; } = environment;

    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>Why the user's program cannot be started (<c>exec: "x": executable file not found in $PATH</c>), or null.</summary>
    public string? MissingExecutable { get; } = missingExecutable;

    public override string ToString() => $"exec {Path} ({Argv.Count} args) in {WorkingDirectory}";
}
