using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Testing.Fakes;

namespace Berth.UnitTests.Kubelet.Volumes;

/// <summary>
/// A <see cref="FakeApiClient"/> that also answers <c>serviceaccounts/{name}/token</c>: tokens <c>token-1</c>,
/// <c>token-2</c>… expiring after the requested seconds on <paramref name="time"/>; every request is recorded. Set
/// <see cref="Fail"/> to make requests throw.
/// </summary>
internal sealed class TokenIssuingApiClient(FakeApiClient inner, TimeProvider time) : IApiClient
{
    private readonly List<JsonObject> _requests = [];

    public FakeApiClient Inner => inner;

    public ApiException? Fail { get; set; }

    public IReadOnlyList<JsonObject> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body,
        WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (kind != KindRegistry.ServiceAccounts || subresource != "token")
        {
            return ((IApiClient)inner).CreateAsync(kind, ns, name, subresource, body, options, cancellationToken);
        }
        int count;
        lock (_requests)
        {
            _requests.Add((JsonObject)body.DeepClone());
            count = _requests.Count;
        }
        if (Fail is { } failure)
        {
            return Task.FromException<JsonObject>(failure);
        }
        var seconds = body.GetLong("spec", "expirationSeconds") ?? 3600;
        var reply = (JsonObject)body.DeepClone();
        reply["status"] = new JsonObject
        {
            ["token"] = $"token-{count}",
            ["expirationTimestamp"] = time.GetUtcNow().AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        return Task.FromResult(reply);
    }

    public Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(kind, ns, name, cancellationToken);

    public Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(kind, ns, options, cancellationToken);

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(kind, ns, obj, options, cancellationToken);

    public Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        inner.UpdateAsync(kind, ns, obj, subresource, options, cancellationToken);

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.PatchAsync(kind, ns, name, type, patch, subresource, options, cancellationToken);

    public Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(kind, ns, name, options, cancellationToken);

    public IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(kind, ns, options, cancellationToken);
}
