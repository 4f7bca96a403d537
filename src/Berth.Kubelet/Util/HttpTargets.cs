using System.Globalization;
using System.Net.Sockets;
using k8s.Models;

namespace Berth.Kubelet.Util;

/// <summary>
/// Builds the request of an httpGet lifecycle handler or probe (host defaults to the pod IP, port by number or by
/// container port name, path, scheme, headers) and describes transport failures the way Go's net/http does, since
/// those texts end up in <c>Unhealthy</c> events. Mirrors kubernetes/kubernetes pkg/kubelet/prober/prober.go
/// (newProbeRequest, extractPort) and pkg/probe/http/request.go.
/// </summary>
public static class HttpTargets
{
    /// <summary>Resolves <c>port</c>: a number, or the name of one of the container's ports.</summary>
    public static bool TryResolvePort(IntOrString? port, V1Container container, out int number, out string error)
    {
        error = "";
        var value = port?.Value ?? "";
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number))
        {
            if (number is > 0 and < 65536)
            {
                return true;
            }

            error = $"invalid port number: {number}";
            return false;
        }

        var named = container.Ports?.FirstOrDefault(p => p.Name == value);
        if (named is not null)
        {
            number = named.ContainerPort;
            return true;
        }

        error = $"couldn't find port: {value} in {container.Name}";
        return false;
    }

    /// <summary>The URL of an httpGet action; false with a reason when the host or port cannot be resolved.</summary>
    public static bool TryBuild(V1HTTPGetAction action, V1Container container, string? podIP, out Uri uri, out string error)
    {
        uri = null!;
        var host = string.IsNullOrEmpty(action.Host) ? podIP : action.Host;
        if (string.IsNullOrEmpty(host))
        {
            error = "no host: the pod has no IP";
            return false;
        }

        if (!TryResolvePort(action.Port, container, out var port, out error))
        {
            return false;
        }

        var scheme = string.Equals(action.Scheme, "HTTPS", StringComparison.OrdinalIgnoreCase) ? Uri.UriSchemeHttps : Uri.UriSchemeHttp;
        var path = action.Path ?? "";
        if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        var query = "";
        var q = path.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            (path, query) = (path[..q], path[q..]);
        }

        try
        {
            uri = new UriBuilder(scheme, host, port, path, query).Uri;
            return true;
        }
        catch (UriFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>A GET without keep-alive, with the action's headers; User-Agent and Accept get defaults unless given.</summary>
    public static HttpRequestMessage NewRequest(Uri uri, IEnumerable<V1HTTPHeader>? headers, string userAgent)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.ConnectionClose = true;
        var given = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in headers ?? [])
        {
            given.Add(header.Name);
            if (string.Equals(header.Name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = header.Value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            }
        }

        if (!given.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (!given.Contains("Accept"))
        {
            request.Headers.TryAddWithoutValidation("Accept", "*/*");
        }

        return request;
    }

    /// <summary>True when an HTTPS request failed during the TLS handshake (typically a plain HTTP server answered).</summary>
    public static bool LooksLikePlainHttpAnswer(Exception error) =>
        error is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError };

    /// <summary>Go-style description: <c>Get "http://…": dial tcp 127.0.0.1:80: connect: connection refused</c>.</summary>
    public static string DescribeError(Uri uri, Exception error)
    {
        var socket = FindSocketError(error);
        var dial = $"dial tcp {uri.Host}:{uri.Port}";
        var detail = socket switch
        {
            SocketError.ConnectionRefused => $"{dial}: connect: connection refused",
            SocketError.TimedOut => $"{dial}: i/o timeout",
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => $"{dial}: connect: no route to host",
            _ => error is TimeoutException or OperationCanceledException
                ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                : error.Message,
        };
        return $"Get \"{uri}\": {detail}";
    }

    /// <summary>The socket error somewhere in the exception chain, or null.</summary>
    public static SocketError? FindSocketError(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
