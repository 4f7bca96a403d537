namespace Berth.Kubelet.Streaming.Exec;

/// <summary>
/// Runs one interactive exec: spawns it (<see cref="ExecProcessHandle"/>), forwards output on a dedicated thread
/// (<see cref="ExecOutputPump"/>), stdin and terminal resizes as tasks, and returns the exit code once the command
/// ended and its output was forwarded. Cancellation SIGKILLs the command's process group. Every descriptor is closed
/// only after all pumps stopped, so no pump ever touches a reused descriptor number.
/// Mirrors the exec path of a CRI streaming server (containerd internal/cri/server/container_execsync.go execInternal).
/// </summary>
internal static class ExecSession
{
    public static async Task<int> RunAsync(ExecLaunch launch, ExecIo io, TimeProvider time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var process = ExecProcessHandle.Start(launch, io);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = ExecOutputPump.RunAsync(process.PidFd, process.Outputs, time);
        var stdin = io.Stdin is { } input
            ? ExecStdinPump.RunAsync(input, process, io.Tty, time, stop.Token)
            : Task.CompletedTask;
        var resize = io.Tty && io.Resizes is { } sizes ? ApplyResizesAsync(sizes, process.Master, stop.Token) : Task.CompletedTask;
        var exitCode = -1;
        var killOnCancel = cancellationToken.Register(process.Kill);
        try
        {
            await output.ConfigureAwait(false);
        }
        catch
        {
            process.Kill();
            throw;
        }
        finally
        {
            // The command has exited (or the pump failed and it was killed): stop feeding it, then collect it. The
            // registration is disposed before the reap, so a late cancellation never signals a reused PID.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(stdin, resize).ConfigureAwait(false);
            await killOnCancel.DisposeAsync().ConfigureAwait(false);
            exitCode = process.Reap();
        }
        cancellationToken.ThrowIfCancellationRequested();
        return exitCode;
    }

    private static async Task ApplyResizesAsync(IAsyncEnumerable<Berth.ApiServer.Streaming.TerminalSize> sizes, int master,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var size in sizes.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                Interop.Pty.SetSize(master, size.Width, size.Height);
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
    }
}
