using System.Buffers;
using Berth.Machinery.Errors;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>
/// Reads a request body into memory with the API server's size limit (413 above 3 MiB, upstream's message).
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/rest.go (limitedReadBody) with its 3 MiB default.
/// </summary>
internal static class RequestBodyReader
{
    /// <summary>Upstream's maxRequestBodyBytes (3 MiB).</summary>
    public const long MaxBodyBytes = 3 * 1024 * 1024;

    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (result.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw TooLarge();
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                var bytes = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static ApiException TooLarge() =>
        ApiErrors.RequestEntityTooLarge($"Request entity too large: limit is {MaxBodyBytes}");
}

