using Berth.Kubelet.Runtime.ProcessRuntime;

namespace Berth.Kubelet.Streaming;

/// <summary>
/// A Running container ready to be attached to (from <see cref="IContainerStreamingRuntime.PrepareAttach"/>):
/// whether its spec gave it stdin, stdinOnce and a tty. Nothing is open until the session runs.
/// </summary>
public sealed class AttachTarget
{
    internal AttachTarget(ContainerAttachPoint point) => Point = point;

    public bool Stdin => Point.Stdin;

    public bool StdinOnce => Point.StdinOnce;

    public bool Tty => Point.Tty;

    internal ContainerAttachPoint Point { get; }
}
