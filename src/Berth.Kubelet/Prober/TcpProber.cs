using System.Net.Sockets;

namespace Berth.Kubelet.Prober;

/// <summary>
/// Runs a tcpSocket probe: success when a TCP connection opens within <c>timeoutSeconds</c> (it is closed at once),
/// else a failure such as <c>dial tcp 127.1.0.5:80: connect: connection refused</c>.
/// Mirrors kubernetes/kubernetes pkg/probe/tcp/tcp.go (DoTCPProbe).
/// </summary>
internal sealed class TcpProber(TimeProvider time)
{
    public async Task<ProbeOutcome> ProbeAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        using var client = new TcpClient();
        var dial = $"dial tcp {host}:{port}";
        try
        {
            await client.ConnectAsync(host, port, linked.Token).ConfigureAwait(false);
            return ProbeOutcome.Success();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failure($"{dial}: i/o timeout");
        }
        catch (SocketException ex)
        {
            return ProbeOutcome.Failure(ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => $"{dial}: connect: connection refused",
                SocketError.TimedOut => $"{dial}: i/o timeout",
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => $"{dial}: connect: no route to host",
                _ => $"{dial}: {ex.Message}",
            });
        }
    }
}
