namespace Berth.ApiServer.Streaming;

/// <summary>
/// What <c>…/pods/{name}/exec</c> asks for, validated and with the container resolved. With <see cref="Tty"/> the
/// command gets a pseudo-terminal and stderr is merged into stdout (upstream drops a requested stderr then).
/// Mirrors kubernetes/api core/v1 types.go (PodExecOptions).
/// </summary>
/// <param name="Container">The container to run in; never empty.</param>
/// <param name="Command">argv, at least one element; the first is looked up in the container's PATH.</param>
public sealed record PodExecOptions(
    string Container,
    IReadOnlyList<string> Command,
    bool Stdin,
    bool Stdout,
    bool Stderr,
    bool Tty);
