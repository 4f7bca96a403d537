using System.Text;
using Berth.ApiServer.Streaming;

namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// Writes parsed entries to the client: drops entries before sinceTime, prefixes each logical line with its
/// timestamp when asked (a line continued over partial entries gets one prefix, per stream), and stops at limitBytes
/// (cutting the last line). Not thread-safe: one per request.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs.go (logWriter).
/// </summary>
internal sealed class LogOutputWriter(Stream output, PodLogOptions options)
{
    private readonly bool[] _midLine = new bool[2];
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
            await WriteLimitedAsync(Encoding.ASCII.GetBytes(CriLogEntry.FormatTimestamp(entry.Timestamp) + " "), cancellationToken)
                .ConfigureAwait(false);
        }
        _midLine[stream] = entry.Partial;
        await WriteLimitedAsync(entry.Content, cancellationToken).ConfigureAwait(false);
        return !LimitReached;
    }

    public Task FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    private async ValueTask WriteLimitedAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length > _remaining)
        {
            bytes = bytes[..(int)_remaining];
        }
        if (bytes.IsEmpty)
        {
            return;
        }
        await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _remaining -= bytes.Length;
    }
}
