using Berth.Kubelet.Runtime.ProcessRuntime;

namespace Berth.Kubelet.Streaming.Attach;

/// <summary>
/// Copies an attach client's stdin into the container's stdin.fifo until the client closes it, and decides what
/// that end means, as containerd's attach does (internal/cri/io/container_io.go Attach): a container without stdin
/// (or whose stdin a stdinOnce session already closed) ignores the input; with stdinOnce and no tty the container's
/// stdin is closed (the shim's <c>close-stdin</c>) and the session goes on until the output ends; otherwise the end of
/// the client's stdin ends the session. A stdinOnce session that goes away closes stdin just the same.
/// </summary>
/// <remarks>One instance per session; not thread-safe.</remarks>
internal static class AttachStdinPump
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Returns true when the session should end because the client's stdin ended.</summary>
    public static async Task<bool> RunAsync(ContainerAttachPoint point, Stream stdin, TimeProvider time, CancellationToken cancellationToken)
    {
        var writer = point.Stdin && !point.StdinClosed ? FifoWriter.TryOpen(point.StdinFifo) : null;
        var wroteToContainer = writer is not null;
        try
        {
            await CopyAsync(stdin, writer, time, cancellationToken).ConfigureAwait(false);
            return wroteToContainer && !(point.StdinOnce && !point.Tty);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            writer?.Dispose();
            if (wroteToContainer && point.StdinOnce && !point.Tty)
            {
                FifoWriter.TrySend(point.ControlFifo, "close-stdin\n");
                point.MarkStdinClosed();
            }
        }
    }

    // Reads until the client closes stdin; input that cannot be delivered (no writer, reader gone) is dropped.
    private static async Task CopyAsync(Stream stdin, FifoWriter? writer, TimeProvider time, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await stdin.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (writer is null)
            {
                continue;
            }
            try
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), time, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                writer = null; // the container's process went away; the rest of the input has nowhere to go
            }
        }
    }
}
