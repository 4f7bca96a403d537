namespace Berth.Kubelet.Runtime.ProcessRuntime.Logs;

/// <summary>Which of the container's streams a chunk came from (a terminal's output is <see cref="Stdout"/>).</summary>
internal enum ContainerOutputStream
{
    Stdout,
    Stderr,
}

/// <summary>One read of the container's output, as the log pump got it.</summary>
internal sealed record ContainerOutputChunk(ContainerOutputStream Stream, byte[] Data);
