using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Registry;

/// <summary>
/// The API as one in-process interface: the HTTP handlers, the controllers and the kubelet all go through it, so
/// every caller gets the same admission, defaulting, validation, preconditions and graceful-delete rules.
/// Objects are in storage form (JSON with apiVersion/kind stamped). Errors are <c>ApiException</c>s with upstream
/// reasons (NotFound, AlreadyExists, Conflict, Invalid, BadRequest, Expired…).
/// Mirrors the verbs of k8s.io/client-go dynamic.ResourceInterface.
/// </summary>
/// <remarks>Thread-safe. Returned objects are fresh copies the caller may mutate.</remarks>
public interface IApiClient
{
    Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// GET of a subresource: <c>status</c>, or <c>scale</c> of a scalable workload (an autoscaling/v1 Scale). The default
    /// implementation, for clients that cannot read subresources, fails with 405 MethodNotSupported.
    /// </summary>
    Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, string subresource, CancellationToken cancellationToken = default) =>
        Task.FromException<JsonObject>(ApiErrors.MethodNotSupported($"{kind.GroupResource}/{subresource}", "get"));

    Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// POST to a subresource of the object <paramref name="name"/>: <c>pods/{name}/binding</c> (a Binding) or
    /// <c>pods/{name}/eviction</c> (an Eviction). Returns the reply, a Status for both. The default implementation,
    /// for clients that cannot post subresources, fails with 405 MethodNotSupported.
    /// </summary>
    Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body, WriteOptions? options = null,
        CancellationToken cancellationToken = default) =>
        Task.FromException<JsonObject>(ApiErrors.MethodNotSupported($"{kind.GroupResource}/{subresource}", "create"));

    /// <summary>PUT. <paramref name="subresource"/> is null, <c>status</c> or <c>scale</c>. A set resourceVersion is a precondition.</summary>
    Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default);

    Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches from <see cref="ListOptions.ResourceVersion"/> ("" or "0": synthetic ADDED for current objects first).
    /// A too-old resourceVersion throws <c>ApiException</c> 410 before the first event. The stream ends when
    /// <paramref name="cancellationToken"/> fires, when TimeoutSeconds elapse, or with an Error event if the
    /// watcher fell behind.
    /// </summary>
    IAsyncEnumerable<ApiWatchEvent> WatchAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>List and watch options (k8s.io/apimachinery ListOptions).</summary>
public sealed record ListOptions(
    string? LabelSelector = null,
    string? FieldSelector = null,
    string? ResourceVersion = null,
    int Limit = 0,
    string? Continue = null,
    bool AllowWatchBookmarks = false,
    int? TimeoutSeconds = null);

public sealed record ApiList(IReadOnlyList<JsonObject> Items, string ResourceVersion, string? Continue)
{
    /// <summary>
    /// When the producer has them (the in-process registry): each item's UTF-8 JSON, index for index with
    /// <see cref="Items"/>, exactly its content and immutable (the storage's own bytes, shared). Null otherwise.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Utf8Items { get; init; }
}

/// <summary>Options of create, update and patch.</summary>
public sealed record WriteOptions(
    bool DryRun = false,
    string? FieldManager = null,
    FieldValidation FieldValidation = FieldValidation.Ignore,
    bool Force = false)
{
    /// <summary>
    /// Request-scoped admission of the main resource: called with the object about to be stored (after defaulting and
    /// validation) and the stored one (null on create), on every attempt of a write; throws an <c>ApiException</c> to
    /// refuse. The API server sets it for RBAC writes by users outside <c>system:masters</c> (escalation prevention).
    /// </summary>
    public Action<JsonObject, JsonObject?>? Admit { get; init; }
}

/// <summary>The <c>fieldValidation</c> query parameter.</summary>
public enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

public enum PatchType
{
    /// <summary>application/json-patch+json (RFC 6902).</summary>
    Json,

    /// <summary>application/merge-patch+json (RFC 7386).</summary>
    Merge,

    /// <summary>application/strategic-merge-patch+json.</summary>
    StrategicMerge,

    /// <summary>application/apply-patch+yaml (server-side apply).</summary>
    Apply,
}

/// <summary>DeleteOptions (k8s.io/apimachinery meta/v1).</summary>
public sealed record DeleteOptions(
    long? GracePeriodSeconds = null,
    string? PropagationPolicy = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false);

/// <summary>The object after the delete, and whether it is gone (false while graceful deletion or finalizers are pending).</summary>
public sealed record DeleteResult(JsonObject Object, bool Deleted);

public enum ApiWatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>A watch event; for <see cref="ApiWatchEventType.Error"/> the object is a Status.</summary>
public sealed record ApiWatchEvent(ApiWatchEventType Type, JsonObject Object)
{
    /// <summary>
    /// When the producer has them (the in-process registry): <see cref="Object"/>'s UTF-8 JSON, exactly its content
    /// and immutable (the storage's own bytes, shared). Empty otherwise.
    /// </summary>
    public ReadOnlyMemory<byte> Utf8 { get; init; }
}
