using Berth.ApiServer.Streaming;

namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// Writes parsed entries to the client: drops entries before sinceTime, prefixes each logical line with its
/// timestamp when asked (a line continued over partial entries gets one prefix, per stream), and stops at limitBytes
/// (cutting the last line). Output is gathered in a buffer and sent when it fills or on <see cref="FlushAsync"/>, which
/// the reader calls at the end of every batch. Not thread-safe: one per request.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs.go (logWriter).
/// </summary>
internal sealed class LogOutputWriter(Stream output, PodLogOptions options)
{
    private const int BufferSize = 64 * 1024;

    private readonly bool[] _midLine = new bool[2];
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _buffered;
    private long _remaining = options.LimitBytes ?? long.MaxValue;

    /// <summary>True once limitBytes bytes were written: the caller stops reading.</summary>
    public bool LimitReached => _remaining <= 0;

    /// <summary>Writes one entry (or nothing, when it is filtered out). Returns false once the limit is reached.</summary>
    public async ValueTask<bool> WriteAsync(CriLogEntry entry, CancellationToken cancellationToken)
    {
        if (LimitReached)
        {
            return false;
        }
        if (options.SinceTime is { } since && entry.Timestamp < since)
        {
            return true;
        }
        var stream = entry.IsStderr ? 1 : 0;
        if (options.Timestamps && !_midLine[stream])
        {
            if (BufferSize - _buffered < CriLogEntry.MaxTimestampLength + 1)
            {
                await SendBufferAsync(cancellationToken).ConfigureAwait(false);
            }
            var prefix = _buffer.AsSpan(_buffered);
            var length = CriLogEntry.FormatTimestamp(entry.Timestamp, prefix);
            prefix[length++] = (byte)' ';
            Take(length);
        }
        _midLine[stream] = entry.Partial;
        await AppendAsync(entry.Content, cancellationToken).ConfigureAwait(false);
        return !LimitReached;
    }

    /// <summary>Sends what is buffered and flushes the client stream (commits headers, pushes a follow batch).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendBufferAsync(cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length > _remaining)
        {
            bytes = bytes[..(int)_remaining];
        }
        while (!bytes.IsEmpty)
        {
            if (_buffered == BufferSize)
            {
                await SendBufferAsync(cancellationToken).ConfigureAwait(false);
            }
            var n = Math.Min(bytes.Length, BufferSize - _buffered);
            bytes.Span[..n].CopyTo(_buffer.AsSpan(_buffered));
            bytes = bytes[n..];
            _buffered += n;
            _remaining -= n;
        }
    }

    // Accounts a prefix written in place; cut by the limit like any other output.
    private void Take(int length)
    {
        var kept = (int)Math.Min(length, _remaining);
        _buffered += kept;
        _remaining -= kept;
    }

    private async ValueTask SendBufferAsync(CancellationToken cancellationToken)
    {
        if (_buffered > 0)
        {
            await output.WriteAsync(_buffer.AsMemory(0, _buffered), cancellationToken).ConfigureAwait(false);
            _buffered = 0;
        }
    }
}
