using Microsoft.Win32.SafeHandles;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// Whether the machine has a core to spare right now, from the kernel's count of runnable tasks (the fourth field of
/// <c>/proc/loadavg</c>, "running/total", summed over every CPU's run queue at the moment of the read). The busy-poll
/// of a relay loop only spins into a spare core: when other tasks are waiting for the CPU (a loaded proxy with many
/// clients, a build next to it), spinning would take their time and cost every batch of events its batching.
/// </summary>
/// <remarks>
/// One instance per loop thread (not thread-safe). A read is a pread of a few dozen bytes (about a microsecond); the
/// answer is reused for a millisecond. When the file cannot be read the answer is "spare" (the window
/// is bounded anyway).
/// </remarks>
internal sealed class RunnableTasks(TimeProvider time) : IDisposable
{
    private readonly long _sampleTicks = time.TimestampFrequency / 1000;
    private readonly byte[] _buffer = new byte[128];
    private SafeFileHandle? _file = TryOpen();
    private long _sampledAt = long.MinValue;
    private bool _spare = true;

    /// <summary>True when fewer tasks than cores are runnable besides the caller (which counts itself as running).</summary>
    public bool SpareCore()
    {
        var now = time.GetTimestamp();
        if (now - _sampledAt < _sampleTicks)
        {
            return _spare;
        }
        _sampledAt = now;
        _spare = Read() is not { } running || running - 1 < Environment.ProcessorCount;
        return _spare;
    }

    /// <summary>The "running" count of <c>/proc/loadavg</c> ("0.50 0.40 0.30 3/120 4567"), or null.</summary>
    private int? Read()
    {
        if (_file is null)
        {
            return null;
        }
        try
        {
            var length = RandomAccess.Read(_file, _buffer, 0);
            return Parse(_buffer.AsSpan(0, length));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The number before the '/' of the fourth space-separated field, or null when the text has no such field.</summary>
    internal static int? Parse(ReadOnlySpan<byte> loadavg)
    {
        var slash = loadavg.IndexOf((byte)'/');
        if (slash <= 0)
        {
            return null;
        }
        var start = loadavg[..slash].LastIndexOf((byte)' ') + 1;
        var value = 0;
        var digits = loadavg[start..slash];
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return null;
            }
            value = (value * 10) + (digit - '0');
        }
        return digits.IsEmpty ? null : value;
    }

    private static SafeFileHandle? TryOpen()
    {
        try
        {
            return File.OpenHandle("/proc/loadavg", FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }
}
