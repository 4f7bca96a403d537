using System.IO.Pipelines;
using System.Threading.Channels;
using Berth.ApiServer.Streaming;

namespace Berth.UnitTests.Kubelet.Streaming;

/// <summary>An in-memory <see cref="IExecStreams"/>: stdin is a pipe the test writes, outputs are collected, resizes are queued.</summary>
internal sealed class FakeExecStreams : IExecStreams
{
    private readonly Pipe? _stdin;
    private readonly Channel<TerminalSize> _resizes = Channel.CreateUnbounded<TerminalSize>();

    public FakeExecStreams(bool stdin = false, bool stdout = true, bool stderr = true)
    {
        if (stdin)
        {
            _stdin = new Pipe();
            Stdin = _stdin.Reader.AsStream();
        }
        Out = stdout ? new SyncOutput() : null;
        Err = stderr ? new SyncOutput() : null;
    }

    public int Accepts { get; private set; }

    public SyncOutput? Out { get; }

    public SyncOutput? Err { get; }

    public Stream? Stdin { get; }

    public Stream? Stdout => Out;

    public Stream? Stderr => Err;

    public Task AcceptAsync(CancellationToken cancellationToken)
    {
        Accepts++;
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<TerminalSize> ResizeEventsAsync(CancellationToken cancellationToken) => _resizes.Reader.ReadAllAsync(cancellationToken);

    public async Task TypeAsync(string text) => await _stdin!.Writer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));

    public void CloseStdin() => _stdin!.Writer.Complete();

    public void Resize(ushort width, ushort height) => _resizes.Writer.TryWrite(new TerminalSize(width, height));
}
