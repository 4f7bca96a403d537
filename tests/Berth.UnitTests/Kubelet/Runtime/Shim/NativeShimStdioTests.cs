namespace Berth.UnitTests.Kubelet.Runtime.Shim;

/// <summary>
/// The native shim's attach half, with no agent around it: stdin.fifo held open while no writer is attached,
/// <c>close-stdin</c> on control.fifo giving the app end of file (stdinOnce), and a pseudo-terminal whose output reaches
/// stdout.fifo and whose size follows <c>resize</c>.
/// </summary>
[Trait("Category", "Process")]
public sealed class NativeShimStdioTests : IDisposable
{
    private readonly NativeShimDriver _shim = new();

    public void Dispose() => _shim.Dispose();

    [Fact]
    public async Task Stdin_WriterComesAndGoes_AppKeepsReadingWithoutEndOfFile()
    {
        _shim.Stdio = "i";
        _shim.Start("", "", "/bin/sh", "-c", "read a; echo a:$a; read b; echo b:$b");
        await _shim.ReadStartReportAsync();
        using var output = await OpenAsync("stdout.fifo", FileAccess.Read);
        using var reader = new StreamReader(output);

        await WriteAsync("stdin.fifo", "one\n");
        var first = await Task.Run(reader.ReadLineAsync).DefaultTimeout();
        await WriteAsync("stdin.fifo", "two\n");
        var second = await Task.Run(reader.ReadLineAsync).DefaultTimeout();

        Assert.Equal(("a:one", "b:two"), (first, second));
        Assert.Equal(0, await _shim.WaitExitCodeAsync());
    }

    [Fact]
    public async Task Stdin_CloseStdinCommand_AppReadsEndOfFile()
    {
        _shim.Stdio = "i";
        _shim.Start("", "", "/bin/sh", "-c", "cat; echo end");
        await _shim.ReadStartReportAsync();
        using var output = await OpenAsync("stdout.fifo", FileAccess.Read);
        using var reader = new StreamReader(output);

        await WriteAsync("stdin.fifo", "data\n");
        await WriteAsync("control.fifo", "close-stdin\n");

        Assert.Equal("data", await Task.Run(reader.ReadLineAsync).DefaultTimeout());
        Assert.Equal("end", await Task.Run(reader.ReadLineAsync).DefaultTimeout());
        Assert.Equal(0, await _shim.WaitExitCodeAsync());
    }

    [Fact]
    public async Task Stdin_NotRequested_AppReadsDevNull()
    {
        _shim.Start("", "", "/bin/sh", "-c", "if read l; then exit 1; fi; exit 4");
        await _shim.ReadStartReportAsync();

        Assert.Equal(4, await _shim.WaitExitCodeAsync());
    }

    [Fact]
    public async Task Tty_InputResizeAndOutput_GoThroughTheTerminal()
    {
        _shim.Stdio = "it";
        _shim.Start("", "", "/bin/sh", "-c", "[ -t 0 ] && [ -t 1 ] && echo terminal; read l; stty size; echo got:$l");
        await _shim.ReadStartReportAsync();
        using var output = await OpenAsync("stdout.fifo", FileAccess.Read);
        using var reader = new StreamReader(output);

        Assert.Equal("terminal", await Task.Run(reader.ReadLineAsync).DefaultTimeout());
        await WriteAsync("control.fifo", "resize 120 40\n");
        await WriteAsync("stdin.fifo", "hi\n");
        var lines = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            lines.Add(await Task.Run(reader.ReadLineAsync).DefaultTimeout());
        }

        Assert.Equal(["hi", "40 120", "got:hi"], lines);
        Assert.Equal(0, await _shim.WaitExitCodeAsync());
    }

    // The shim holds every FIFO read-write, so opening one either way never blocks for long.
    private async Task<FileStream> OpenAsync(string fifo, FileAccess access) =>
        await Task.Run(() => new FileStream(_shim.File(fifo), FileMode.Open, access, FileShare.ReadWrite, 1)).DefaultTimeout();

    private async Task WriteAsync(string fifo, string text)
    {
        using var stream = await OpenAsync(fifo, FileAccess.Write);
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text)).AsTask().DefaultTimeout();
    }
}
