using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Berth.Kubelet.Prober;

/// <summary>
/// Runs a grpc probe: one unary <c>grpc.health.v1.Health/Check</c> call over cleartext HTTP/2 (prior knowledge),
/// hand-encoded (the request is a 5-byte length prefix plus <c>HealthCheckRequest{service}</c>). SERVING is success;
/// any other serving status, an RPC error or no answer within <c>timeoutSeconds</c> is a failure with upstream's
/// wording. Mirrors kubernetes/kubernetes pkg/probe/grpc/grpc.go.
/// </summary>
internal sealed class GrpcProber(HttpClient client, TimeProvider time)
{
    private static readonly string[] ServingStatuses = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"];

    public async Task<ProbeOutcome> ProbeAsync(string host, int port, string? service, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var address = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]:{port}" : $"{host}:{port}";
        using var request = NewRequest(new Uri($"http://{address}/grpc.health.v1.Health/Check"), service ?? "");
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return Interpret(response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failure($"timeout: health rpc did not complete within {timeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException ex)
        {
            return ProbeOutcome.Failure($"timeout: failed to connect service \"{address}\" within {timeout.TotalSeconds:0.###}s: {ex.Message}");
        }
    }

    private static HttpRequestMessage NewRequest(Uri uri, string service)
    {
        var name = Encoding.UTF8.GetBytes(service);
        byte[] message = name.Length == 0 ? [] : [0x0A, .. Varint(name.Length), .. name];
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)message.Length);
        message.CopyTo(frame.AsSpan(5));
        var content = new ByteArrayContent(frame);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.TryAddWithoutValidation("User-Agent", "kube-probe/1.34");
        return request;
    }

    private static ProbeOutcome Interpret(HttpResponseMessage response, byte[] body)
    {
        var status = Header(response, "grpc-status");
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return ProbeOutcome.Failure($"error: health rpc probe failed: HTTP status {(int)response.StatusCode}");
        }

        if (status is not null && status != "0")
        {
            var code = GrpcCodes.Name(status);
            var detail = $"rpc error: code = {code} desc = {Header(response, "grpc-message")}";
            return ProbeOutcome.Failure(code == "Unimplemented"
                ? $"error: this server does not implement the grpc health protocol (grpc.health.v1.Health): {detail}"
                : $"error: health rpc probe failed: {detail}");
        }

        var serving = ParseServingStatus(body);
        if (serving == 1)
        {
            return ProbeOutcome.Success();
        }

        var name = serving >= 0 && serving < ServingStatuses.Length ? ServingStatuses[serving] : serving.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProbeOutcome.Failure($"service unhealthy (responded with \"{name}\")");
    }

    // Response: 1 flag byte, 4-byte length, HealthCheckResponse { ServingStatus status = 1; } (absent = UNKNOWN).
    private static int ParseServingStatus(byte[] body)
    {
        if (body.Length < 5)
        {
            return 0;
        }

        var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1, 4)), (uint)(body.Length - 5));
        var message = body.AsSpan(5, length);
        for (var i = 0; i < message.Length;)
        {
            var tag = message[i++];
            var value = ReadVarint(message, ref i);
            if (tag == 0x08)
            {
                return (int)value;
            }

            if ((tag & 0x07) == 2)
            {
                i += (int)value;
            }
        }

        return 0;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; i < data.Length && shift < 64; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        return value;
    }

    private static byte[] Varint(int value)
    {
        var bytes = new List<byte>();
        var v = (uint)value;
        do
        {
            var b = (byte)(v & 0x7F);
            v >>= 7;
            bytes.Add(v == 0 ? b : (byte)(b | 0x80));
        }
        while (v != 0);
        return [.. bytes];
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var t) ? t.FirstOrDefault()
        : response.Headers.TryGetValues(name, out var h) ? h.FirstOrDefault() : null;
}
