using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Bench.Rollout;

/// <summary>
/// One request on a new TCP connection: connect, <c>GET /</c> (HTTP/1.1, <c>Connection: close</c>), read until the
/// server closes, check the status and the body length, close. Raw sockets so every failure mode stays visible
/// (an HTTP client library would retry or fold them together). Stateless and thread-safe.
/// </summary>
internal static class HttpExchange
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n");

    /// <summary>Sends one request to <paramref name="target"/>; never throws for network failures (they become the outcome).</summary>
    public static async Task<Outcome> SendAsync(IPEndPoint target, byte[] buffer, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var received = 0;
        var connected = false;
        try
        {
            await socket.ConnectAsync(target, cts.Token);
            connected = true;
            await socket.SendAsync(Request, SocketFlags.None, cts.Token);
            int read;
            while ((read = await socket.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, cts.Token)) > 0)
            {
                received += read;
                if (received == buffer.Length)
                {
                    return Outcome.OtherSocketError;
                }
            }
            return Classify(buffer.AsSpan(0, received));
        }
        catch (OperationCanceledException)
        {
            return Outcome.Timeout;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused when !connected => Outcome.Refused,
                SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown =>
                    received == 0 ? Outcome.ResetBeforeResponse : Outcome.ResetDuringResponse,
                SocketError.TimedOut => Outcome.Timeout,
                _ => Outcome.OtherSocketError,
            };
        }
    }

    /// <summary>Classifies a response read to the close: nothing, a truncated one, a non-2xx one, or a whole 2xx one.</summary>
    internal static Outcome Classify(ReadOnlySpan<byte> response)
    {
        if (response.IsEmpty)
        {
            return Outcome.ClosedBeforeResponse;
        }
        var headerEnd = response.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0 || !response.StartsWith("HTTP/1."u8) || response.Length < 12)
        {
            return Outcome.ClosedDuringResponse;
        }
        var head = Encoding.ASCII.GetString(response[..headerEnd]);
        var length = ContentLength(head);
        if (length is { } expected && response.Length - headerEnd - 4 < expected)
        {
            return Outcome.ClosedDuringResponse;
        }
        return head[9] == '2' ? Outcome.Ok : Outcome.Non2xx;
    }

    private static int? ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return null;
    }
}
