using System.Net;
using System.Net.Sockets;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// The text sent on a port's error stream or channel when its connection to the pod fails, in the kubelet's words
/// (<c>error forwarding port 8080 to pod ns/name: dial tcp …: connect: connection refused</c>); kubectl prints it after
/// <c>an error occurred forwarding L -> R:</c>. Shared by the SPDY and WebSocket-channel sessions.
/// </summary>
internal static class PortForwardErrors
{
    public static string Message(IPEndPoint target, string podDescription, Exception error) =>
        $"error forwarding port {target.Port} to pod {podDescription}: " + error switch
        {
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"dial tcp {target}: connect: connection refused",
            SocketException s => $"dial tcp {target}: {s.Message}",
            OperationCanceledException => $"dial tcp {target}: i/o timeout",
            _ => error.Message,
        };
}
