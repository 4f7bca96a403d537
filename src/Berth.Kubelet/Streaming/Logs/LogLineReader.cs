using System.Buffers;

namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// Reads one open log file from its current position, cuts the bytes into lines, parses them as CRI entries and
/// hands them to a <see cref="LogOutputWriter"/>. An unterminated tail (a line still being written) is kept until the
/// next read completes it, or until <see cref="FlushPendingAsync"/> at end of file. Lines that do not parse are skipped,
/// as upstream does. Not thread-safe.
/// </summary>
internal sealed class LogLineReader(LogOutputWriter writer)
{
    private readonly byte[] _chunk = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _pending = new();

    /// <summary>
    /// Reads <paramref name="file"/> to its current end. Returns false when the output limit was reached (stop
    /// reading); true otherwise, with any unterminated tail kept for the next call.
    /// </summary>
    public async Task<bool> ReadToEndAsync(FileStream file, CancellationToken cancellationToken)
    {
        while (true)
        {
            var n = await file.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return true;
            }
            if (!await SplitAsync(_chunk.AsMemory(0, n), cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
    }

    /// <summary>Emits a kept unterminated tail as an entry (end of a file or of the stream). Returns false at the limit.</summary>
    public async Task<bool> FlushPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount == 0)
        {
            return true;
        }
        var line = _pending.WrittenMemory.ToArray();
        _pending.ResetWrittenCount();
        return await EmitAsync(line, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SplitAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var newline = data.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _pending.Write(data.Span);
                return true;
            }
            ReadOnlyMemory<byte> line;
            if (_pending.WrittenCount > 0)
            {
                _pending.Write(data.Span[..(newline + 1)]);
                line = _pending.WrittenMemory.ToArray();
                _pending.ResetWrittenCount();
            }
            else
            {
                line = data[..(newline + 1)];
            }
            data = data[(newline + 1)..];
            if (!await EmitAsync(line, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
        return true;
    }

    private async Task<bool> EmitAsync(ReadOnlyMemory<byte> line, CancellationToken cancellationToken) =>
        !CriLogEntry.TryParse(line, out var entry) || await writer.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
}
