using System.Buffers;
using System.Text;

namespace Berth.Kubelet.Runtime.ProcessRuntime.Logs;

/// <summary>
/// Frames one output stream (stdout or stderr) into CRI log entries:
/// <c>2026-11-27T22:48:10.123456789Z stdout F message</c>. A line longer than <see cref="MaxLineSize"/> is cut into
/// <c>P</c> (partial) entries followed by a final <c>F</c> entry; bytes left without a newline at end of stream are
/// written as an <c>F</c> entry. The timestamp is taken when the bytes are read from the pipe.
/// Mirrors kubernetes/cri-api pkg/apis/runtime/v1/constants.go (LogTag) and containerd's CRI log redirect
/// (max_container_log_line_size 16 KiB).
/// </summary>
/// <remarks>Not thread-safe: one instance per stream, driven by the poller thread.</remarks>
internal sealed class CriLogStream(string streamName, RotatingLogFile file, TimeProvider time)
{
    /// <summary>Longest message carried by one entry (containerd's default).</summary>
    public const int MaxLineSize = 16 * 1024;

    private readonly byte[] _prefixTail = Encoding.ASCII.GetBytes(" " + streamName + " ");
    private readonly ArrayBufferWriter<byte> _pending = new();
    private readonly ArrayBufferWriter<byte> _entry = new();

    /// <summary>Frames a chunk just read from the pipe and flushes the file.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var stamp = FormatTimestamp(time.GetUtcNow());
        while (!data.IsEmpty)
        {
            var newline = data.IndexOf((byte)'\n');
            var room = MaxLineSize - _pending.WrittenCount;
            if (newline >= 0 && newline <= room)
            {
                _pending.Write(data[..newline]);
                Emit(stamp, 'F');
                data = data[(newline + 1)..];
                continue;
            }
            var take = Math.Min(room, data.Length);
            _pending.Write(data[..take]);
            data = data[take..];
            if (_pending.WrittenCount == MaxLineSize)
            {
                Emit(stamp, 'P');
            }
        }
        file.Flush();
    }

    /// <summary>End of stream: writes any unterminated remainder as a full entry.</summary>
    public void Complete()
    {
        if (_pending.WrittenCount > 0)
        {
            Emit(FormatTimestamp(time.GetUtcNow()), 'F');
            file.Flush();
        }
    }

    /// <summary>RFC 3339 with nine fractional digits in UTC, as CRI log readers expect.</summary>
    public static string FormatTimestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "00Z";

    private void Emit(string stamp, char tag)
    {
        _entry.ResetWrittenCount();
        Encoding.ASCII.GetBytes(stamp, _entry);
        _entry.Write(_prefixTail);
        _entry.Write([(byte)tag, (byte)' ']);
        _entry.Write(_pending.WrittenSpan);
        _entry.Write("\n"u8);
        file.WriteEntry(_entry.WrittenSpan);
        _pending.ResetWrittenCount();
    }
}
