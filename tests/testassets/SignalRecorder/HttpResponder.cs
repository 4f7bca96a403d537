using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SignalRecorder;

/// <summary>
/// A minimal HTTP/1.0 server for probes and httpGet hooks. Every request is recorded as <c>HTTP &lt;path&gt;</c>.
/// <c>/ready</c>: 200, or 503 after SIGTERM with <c>NOT_READY_AFTER_TERM</c>; <c>/fail</c>: 500;
/// <c>/sleep?ms=N</c>: answers 200 after N ms; anything else: 200.
/// </summary>
internal sealed class HttpResponder(RecorderOptions options, EventLog log, Func<bool> terminating, TimeProvider time)
{
    public async Task RunAsync(TcpListener listener)
    {
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    public static TcpListener Listen(RecorderOptions options)
    {
        var listener = new TcpListener(IPAddress.Parse(options.Address), options.HttpPort);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            var requestLine = await reader.ReadLineAsync().ConfigureAwait(false) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync().ConfigureAwait(false)))
            {
            }
            var target = requestLine.Split(' ') is { Length: >= 2 } parts ? parts[1] : "/";
            log.Write("HTTP", target);
            var status = await RespondAsync(target).ConfigureAwait(false);
            var body = Encoding.ASCII.GetBytes(status.ToString(CultureInfo.InvariantCulture) + "\n");
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.0 {status} X\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head).ConfigureAwait(false);
            await stream.WriteAsync(body).ConfigureAwait(false);
        }
    }

    private async Task<int> RespondAsync(string target)
    {
        var path = target.Split('?')[0];
        if (path == "/ready")
        {
            return options.NotReadyAfterTerm && terminating() ? 503 : 200;
        }
        if (path == "/fail")
        {
            return 500;
        }
        if (path == "/sleep" && target.Split("ms=") is [_, var ms] && int.TryParse(ms, CultureInfo.InvariantCulture, out var delay))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(delay), time).ConfigureAwait(false);
        }
        return 200;
    }
}
