using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Client.Remote;

/// <summary>
/// <see cref="IApiClient"/> over HTTPS to a Berth (or Kubernetes) API server, so the node agent and controllers
/// can run in another process than the API. Every verb maps to the REST call kubectl would make; failures come
/// back as the same <c>ApiException</c> (code, reason, message, details) the in-process client throws.
/// Mirrors k8s.io/client-go dynamic client over rest.RESTClient.
/// </summary>
/// <remarks>
/// Thread-safe; one instance per server, shared by all callers (it owns a connection pool). Ordinary requests are
/// bounded by <see cref="RemoteApiClientOptions.RequestTimeout"/>; watches are not (they end by timeoutSeconds,
/// cancellation or the server). Transport failures surface as <see cref="HttpRequestException"/>, timeouts as
/// <see cref="TimeoutException"/>; callers retry as they would for any API error. Nothing here retries.
/// </remarks>
public sealed partial class RemoteApiClient : IApiClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly RemoteApiClientOptions _options;

    public RemoteApiClient(RemoteApiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Server.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"the server URL must use https, got \"{options.Server}\"", nameof(options));
        }
        _options = options;
        _http = new HttpClient(RemoteHttpHandler.Create(options), disposeHandler: true)
        {
            BaseAddress = new Uri(options.Server.GetLeftPart(UriPartial.Authority)),
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("berth-agent", "1.0"));
    }

    /// <summary>The server this client talks to.</summary>
    public Uri Server => _options.Server;

    public Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, RemotePaths.Resource(kind, ns, name), null, null, cancellationToken);

    public async Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(HttpMethod.Get, RemotePaths.List(RemotePaths.Resource(kind, ns), options, watch: false), null, null,
            cancellationToken).ConfigureAwait(false);
        var array = reply.GetArray("items");
        var items = array?.OfType<JsonObject>().Select(i => StampKind(kind, i)).ToList() ?? [];
        array?.Clear();
        return new ApiList(items, reply.GetString("metadata", "resourceVersion") ?? "", NullIfEmpty(reply.GetString("metadata", "continue")));
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, RemotePaths.Write(RemotePaths.Resource(kind, ns ?? obj.GetNamespace()), options), obj, "application/json",
            cancellationToken);

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, RemotePaths.Write(RemotePaths.Resource(kind, ns, name, subresource), options), body, "application/json",
            cancellationToken);

    public Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var name = obj.GetName() ?? throw new ArgumentException("the object to update has no metadata.name", nameof(obj));
        return SendAsync(HttpMethod.Put, RemotePaths.Write(RemotePaths.Resource(kind, ns ?? obj.GetNamespace(), name, subresource), options), obj,
            "application/json", cancellationToken);
    }

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, RemotePaths.Write(RemotePaths.Resource(kind, ns, name, subresource), options), patch, PatchContentType(type),
            cancellationToken);

    public async Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(HttpMethod.Delete, RemotePaths.Resource(kind, ns, name), RemoteDeleteOptions.ToJson(options ?? new DeleteOptions()),
            "application/json", cancellationToken).ConfigureAwait(false);
        return RemoteDeleteOptions.ToResult(kind, reply);
    }

    public async IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, RemotePaths.List(RemotePaths.Resource(kind, ns), options, watch: true));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw RemoteStatus.ToException(response.StatusCode, body, response.Headers);
        }
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var ev in RemoteWatchStream.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                yield return ev.Type is ApiWatchEventType.Error or ApiWatchEventType.Bookmark ? ev : ev with { Object = StampKind(kind, ev.Object) };
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private static string PatchContentType(PatchType type) => type switch
    {
        PatchType.Json => "application/json-patch+json",
        PatchType.Merge => "application/merge-patch+json",
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        _ => "application/apply-patch+yaml",
    };

    /// <summary>Stored objects carry apiVersion and kind; list items on the wire may omit them, so they are stamped back.</summary>
    private static JsonObject StampKind(ResourceKind kind, JsonObject obj)
    {
        if (obj["apiVersion"] is null)
        {
            obj["apiVersion"] = kind.ApiVersion;
        }
        if (obj["kind"] is null)
        {
            obj["kind"] = kind.Kind;
        }
        return obj;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
