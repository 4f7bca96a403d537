using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Client.Remote;

public sealed partial class RemoteApiClient
{
    /// <summary>
    /// One bounded request: sends <paramref name="body"/> (if any) as <paramref name="contentType"/>, reads the whole
    /// reply and returns it as an object, or throws the <c>ApiException</c> a non-2xx Status describes.
    /// </summary>
    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonNode? body, string? contentType,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(ApiJson.ToUtf8(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw RemoteStatus.ToException(response.StatusCode, bytes, response.Headers);
            }
            return JsonNode.Parse(bytes, ApiJson.NodeOptions, ApiJson.DocumentOptions) as JsonObject
                ?? throw new JsonException($"{method} {path}: the reply is not a JSON object");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {path} did not complete within {_options.RequestTimeout}");
        }
    }
}
