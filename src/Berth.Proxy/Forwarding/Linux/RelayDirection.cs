using System.Buffers;
using System.Net.Sockets;
using Berth.Proxy.Metrics;

namespace Berth.Proxy.Forwarding.Linux;

/// <summary>
/// One direction of a <see cref="Relay"/>: reads what <see cref="From"/> has into the loop's shared buffer and writes
/// it to <see cref="To"/> at once. Only bytes the sink did not take are kept, in a buffer rented until they are
/// written, so an idle connection holds no buffer. End of stream is forwarded as a half-close once everything before
/// it was written. Loop thread only. Every method returns false on a socket error (the relay then resets both sides).
/// </summary>
internal sealed class RelayDirection(Socket from, Socket to, EndpointStats stats, bool inbound)
{
    private const int ReadsPerWakeUp = 4;
    private byte[]? _pending;
    private int _start;
    private int _end;

    public Socket From { get; } = from;

    public Socket To { get; } = to;

    /// <summary>The source ended (read returned 0).</summary>
    public bool Ended { get; private set; }

    /// <summary>The end was forwarded: <see cref="To"/> was shut down for sending. The direction is finished.</summary>
    public bool Finished { get; private set; }

    /// <summary>Bytes wait for <see cref="To"/> to become writable.</summary>
    public bool HasPending => _pending is not null;

    /// <summary>The direction waits for <see cref="From"/> to become readable.</summary>
    public bool WantsRead => !Ended && _pending is null;

    /// <summary>Reads and forwards until <see cref="From"/> would block, ended, or <see cref="To"/> is full.</summary>
    public bool Read(byte[] shared)
    {
        for (var i = 0; i < ReadsPerWakeUp && WantsRead; i++)
        {
            var read = From.Receive(shared, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return true;
            }
            if (error != SocketError.Success)
            {
                return false;
            }
            if (read == 0)
            {
                Ended = true;
                return ShutdownIfDrained();
            }
            Count(read);
            var sent = Send(shared.AsSpan(0, read), out error);
            if (sent < 0)
            {
                return false;
            }
            if (sent < read)
            {
                Keep(shared.AsSpan(sent, read - sent));
            }
            if (read < shared.Length)
            {
                return true;
            }
        }
        return true;
    }

    /// <summary>Writes the bytes kept for <see cref="To"/>; called when it became writable.</summary>
    public bool Flush()
    {
        if (_pending is null)
        {
            return true;
        }
        var sent = Send(_pending.AsSpan(_start, _end - _start), out _);
        if (sent < 0)
        {
            return false;
        }
        _start += sent;
        if (_start < _end)
        {
            return true;
        }
        Release();
        return ShutdownIfDrained();
    }

    /// <summary>Returns the rented buffer, if any (the relay ended).</summary>
    public void Release()
    {
        if (_pending is not null)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = null;
        }
    }

    /// <summary>Bytes written (possibly fewer than asked when <see cref="To"/> is full), or -1 on error.</summary>
    private int Send(ReadOnlySpan<byte> bytes, out SocketError error)
    {
        var sent = To.Send(bytes, SocketFlags.None, out error);
        return error is SocketError.Success or SocketError.WouldBlock ? Math.Max(sent, 0) : -1;
    }

    private void Keep(ReadOnlySpan<byte> rest)
    {
        _pending = ArrayPool<byte>.Shared.Rent(rest.Length);
        rest.CopyTo(_pending);
        (_start, _end) = (0, rest.Length);
    }

    private bool ShutdownIfDrained()
    {
        if (!Ended || _pending is not null || Finished)
        {
            return true;
        }
        try
        {
            To.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            return false;
        }
        Finished = true;
        return true;
    }

    private void Count(int bytes)
    {
        if (inbound)
        {
            stats.AddBytesIn(bytes);
        }
        else
        {
            stats.AddBytesOut(bytes);
        }
    }
}
