using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Logs;

namespace Berth.Kubelet.Streaming.Attach;

/// <summary>
/// Runs one attach session against a container's running main process: its live output (from the moment of the
/// attach, through the log pump's fan-out) to the client, the client's stdin to the container
/// (<see cref="AttachStdinPump"/>), terminal resizes to the shim's control FIFO. Ends when the container's output
/// ended (it exited), when the client's stdin end ends it, or on cancellation (client gone), which throws
/// <see cref="OperationCanceledException"/>. The container is never signalled.
/// Mirrors containerd internal/cri/server/container_attach.go (attachContainer).
/// </summary>
internal static class AttachSession
{
    public static async Task RunAsync(ContainerAttachPoint point, ExecIo io, TimeProvider time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var output = point.SubscribeOutput();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forward = ForwardOutputAsync(output, io, stop.Token);
        var input = io.Stdin is { } stdin ? AttachStdinPump.RunAsync(point, stdin, time, stop.Token) : Task.FromResult(false);
        var resize = point.Tty && io.Resizes is { } sizes ? ApplyResizesAsync(point.ControlFifo, sizes, stop.Token) : Task.CompletedTask;
        try
        {
            if (await Task.WhenAny(forward, input).ConfigureAwait(false) == input && !await input.ConfigureAwait(false))
            {
                await forward.ConfigureAwait(false); // stdin ended but the session goes on until the output ends
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(forward, input, resize).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    // With a tty everything is stdout; otherwise each stream goes to its own channel, or nowhere when not requested.
    private static async Task ForwardOutputAsync(ContainerOutputSubscription output, ExecIo io, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in output.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var target = chunk.Stream == ContainerOutputStream.Stdout || io.Tty ? io.Stdout : io.Stderr;
                if (target is not null)
                {
                    await target.WriteAsync(chunk.Data, cancellationToken).ConfigureAwait(false);
                    await target.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended for another reason.
        }
        catch (IOException)
        {
            // The client went away; the session's cancellation follows.
        }
    }

    private static async Task ApplyResizesAsync(string controlFifo, IAsyncEnumerable<TerminalSize> sizes, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var size in sizes.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                FifoWriter.TrySend(controlFifo, FormattableString.Invariant($"resize {size.Width} {size.Height}\n"));
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
    }
}
