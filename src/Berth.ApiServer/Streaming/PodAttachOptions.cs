namespace Berth.ApiServer.Streaming;

/// <summary>
/// What <c>…/pods/{name}/attach</c> asks for, validated, with the container resolved. <see cref="Tty"/> is the
/// container spec's <c>tty</c> (whether the process has a terminal cannot change after it started), not the request's;
/// with a tty there is no stderr. Mirrors kubernetes/api core/v1 types.go (PodAttachOptions) and the kubelet's
/// GetAttach, which takes the tty from the spec.
/// </summary>
/// <param name="Container">The container to attach to; never empty.</param>
public sealed record PodAttachOptions(
    string Container,
    bool Stdin,
    bool Stdout,
    bool Stderr,
    bool Tty);
