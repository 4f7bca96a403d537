using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Testing.Fakes;

/// <summary>
/// An in-memory <see cref="IApiClient"/> for controller, informer and recorder tests, like client-go's fake clientset
/// with a real watch. What it does: one global resourceVersion counter; create (generateName, uid,
/// creationTimestamp), get, list (namespace, label and field selectors, limit/continue paging), update (resourceVersion
/// precondition, <c>status</c> subresource replaces only <c>.status</c>), merge patch (RFC 7386) only, delete
/// (uid/resourceVersion preconditions; finalizers make it set <c>deletionTimestamp</c> and the object goes when they
/// are emptied), and watch with replay from a resourceVersion, synthetic ADDED for "" / "0", selector-aware
/// ADDED/DELETED when an object starts or stops matching, and bookmarks on demand.
/// What it does NOT do: validation, defaulting, admission, strategies, graceful deletion of pods (grace periods are
/// ignored), generation bumps, managedFields, strategic-merge / JSON / apply patches (415), per-kind field-selector support
/// (any string field path is selectable), watch timeouts. Test hooks: <see cref="Interceptor"/> (fail any call), <see cref="Compact"/> (old
/// resourceVersions then get 410 Expired), <see cref="ExpireWatches"/>, <see cref="CloseWatches"/>,
/// <see cref="SendBookmarks"/>, and the recorded <see cref="Actions"/>.
/// </summary>
/// <remarks>Thread-safe: one lock around all state. Objects going in and out are deep copies made through JSON text.</remarks>
public sealed partial class FakeApiClient(TimeProvider? timeProvider = null) : IApiClient
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<FakeApiAction> _actions = [];
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;
    private long _revision;

    /// <summary>Called before every call; a returned exception is thrown instead of running the call.</summary>
    public Func<FakeApiAction, Exception?>? Interceptor { get; set; }

    /// <summary>The resourceVersion of the newest write.</summary>
    public long CurrentRevision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Every call so far, in order (failed ones included).</summary>
    public IReadOnlyList<FakeApiAction> Actions
    {
        get
        {
            lock (_gate)
            {
                return [.. _actions];
            }
        }
    }

    /// <summary>Calls of <paramref name="verb"/> so far, optionally only of <paramref name="kind"/>.</summary>
    public int CountActions(string verb, ResourceKind? kind = null) =>
        Actions.Count(a => a.Verb == verb && (kind is null || a.Kind == kind));

    /// <summary>Creates an object synchronously (for test setup).</summary>
    public JsonObject Seed(ResourceKind kind, JsonObject obj) =>
        CreateAsync(kind, obj.GetNamespace(), obj).GetAwaiter().GetResult();

    public Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Intercept("get", kind, ns, name);
            return Task.FromResult(Roundtrip(Existing(kind, ns, name)));
        }
    }

    public Task<ApiList> ListAsync(ResourceKind kind, string? ns, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Intercept("list", kind, ns, null);
            var filter = new WatchFilter(kind, ns, options);
            var after = options?.Continue;
            var items = new List<JsonObject>();
            string? next = null;
            foreach (var (key, obj) in _objects)
            {
                if (!key.StartsWith(kind.ListPrefix(ns), StringComparison.Ordinal) || (after is not null && string.CompareOrdinal(key, after) <= 0) || !filter.Matches(obj))
                {
                    continue;
                }
                if (options is { Limit: > 0 } && items.Count == options.Limit)
                {
                    next = ObjectKeyOf(kind, items[^1]);
                    break;
                }
                items.Add(Roundtrip(obj));
            }
            return Task.FromResult(new ApiList(items, _revision.ToString(CultureInfo.InvariantCulture), next));
        }
    }

    public Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            obj = Roundtrip(obj);
            var meta = obj.Metadata();
            var name = obj.GetName() ?? (obj.GetString("metadata", "generateName") is { } prefix ? prefix + RandomSuffix() : null);
            Intercept("create", kind, ns, name);
            if (string.IsNullOrEmpty(name))
            {
                throw ApiErrors.Invalid(kind, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
            }
            ns = kind.Namespaced ? ns ?? obj.GetNamespace() ?? throw ApiErrors.BadRequest("the namespace of the object is required") : null;
            if (_objects.ContainsKey(kind.Key(ns, name)))
            {
                throw ApiErrors.AlreadyExists(kind, name);
            }
            obj["apiVersion"] = kind.ApiVersion;
            obj["kind"] = kind.Kind;
            meta["name"] = name;
            if (ns is not null)
            {
                meta["namespace"] = ns;
            }
            meta["uid"] ??= Guid.NewGuid().ToString();
            meta["creationTimestamp"] ??= Rfc3339(_timeProvider.GetUtcNow());
            meta.Remove("resourceVersion");
            return Task.FromResult(options?.DryRun == true ? obj : Commit(kind, ApiWatchEventType.Added, obj, null));
        }
    }

    public Task<JsonObject> UpdateAsync(ResourceKind kind, string? ns, JsonObject obj, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var name = obj.GetName() ?? throw ApiErrors.BadRequest("metadata.name is required");
            Intercept("update", kind, ns, name, subresource);
            var existing = Existing(kind, ns, name);
            var rv = obj.GetResourceVersion();
            if (!string.IsNullOrEmpty(rv) && rv != existing.GetResourceVersion())
            {
                throw ApiErrors.Conflict(kind, name);
            }
            JsonObject updated;
            if (subresource == "status")
            {
                updated = Roundtrip(existing);
                updated["status"] = obj["status"]?.DeepClone();
            }
            else
            {
                updated = Roundtrip(obj);
                foreach (var immutable in new[] { "uid", "creationTimestamp", "deletionTimestamp", "namespace", "name" })
                {
                    updated.Metadata()[immutable] = existing.Metadata()[immutable]?.DeepClone();
                }
                updated["apiVersion"] = kind.ApiVersion;
                updated["kind"] = kind.Kind;
            }
            return Task.FromResult(options?.DryRun == true ? updated : CommitUpdate(kind, existing, updated));
        }
    }

    public Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch, string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Intercept("patch", kind, ns, name, subresource);
            if (type != PatchType.Merge)
            {
                throw ApiErrors.UnsupportedMediaType($"FakeApiClient supports only merge patches, not {type}");
            }
            var existing = Existing(kind, ns, name);
            if (patch is not JsonObject patchObject)
            {
                throw ApiErrors.BadRequest("a merge patch must be a JSON object");
            }
            var rv = patchObject.GetResourceVersion();
            if (!string.IsNullOrEmpty(rv) && rv != existing.GetResourceVersion())
            {
                throw ApiErrors.Conflict(kind, name);
            }
            var updated = Roundtrip(existing);
            if (subresource == "status")
            {
                patchObject = new JsonObject { ["status"] = patchObject["status"]?.DeepClone() };
            }
            MergePatch(updated, patchObject);
            return Task.FromResult(options?.DryRun == true ? updated : CommitUpdate(kind, existing, updated));
        }
    }

    public Task<DeleteResult> DeleteAsync(ResourceKind kind, string? ns, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            Intercept("delete", kind, ns, name);
            var existing = Existing(kind, ns, name);
            if ((options?.PreconditionUid is { } uid && uid != existing.GetUid())
                || (options?.PreconditionResourceVersion is { } prv && prv != existing.GetResourceVersion()))
            {
                throw ApiErrors.Conflict(kind, name, "Precondition failed");
            }
            if (options?.DryRun == true)
            {
                return Task.FromResult(new DeleteResult(Roundtrip(existing), true));
            }
            if (existing.GetArray("metadata", "finalizers") is { Count: > 0 })
            {
                var marked = Roundtrip(existing);
                marked.Metadata()["deletionTimestamp"] ??= Rfc3339(_timeProvider.GetUtcNow());
                return Task.FromResult(new DeleteResult(Commit(kind, ApiWatchEventType.Modified, marked, existing), false));
            }
            return Task.FromResult(new DeleteResult(Commit(kind, ApiWatchEventType.Deleted, Roundtrip(existing), existing), true));
        }
    }

    /// <summary>Writes an update, or removes the object when it is being deleted and has no finalizers left.</summary>
    private JsonObject CommitUpdate(ResourceKind kind, JsonObject existing, JsonObject updated)
    {
        var gone = updated.GetString("metadata", "deletionTimestamp") is not null
            && updated.GetArray("metadata", "finalizers") is not { Count: > 0 };
        return Commit(kind, gone ? ApiWatchEventType.Deleted : ApiWatchEventType.Modified, updated, existing);
    }

    /// <summary>Stamps the next resourceVersion, stores (or removes) the object, records history and feeds watches.</summary>
    private JsonObject Commit(ResourceKind kind, ApiWatchEventType type, JsonObject obj, JsonObject? previous)
    {
        _revision++;
        obj.Metadata()["resourceVersion"] = _revision.ToString(CultureInfo.InvariantCulture);
        var key = kind.Key(obj.GetNamespace(), obj.GetName()!);
        if (type == ApiWatchEventType.Deleted)
        {
            _objects.Remove(key);
        }
        else
        {
            _objects[key] = obj;
        }
        Publish(new HistoryEntry(_revision, kind, type, obj, previous));
        return Roundtrip(obj);
    }

    private JsonObject Existing(ResourceKind kind, string? ns, string name) =>
        _objects.GetValueOrDefault(kind.Key(kind.Namespaced ? ns : null, name)) ?? throw ApiErrors.NotFound(kind, name);

    private void Intercept(string verb, ResourceKind kind, string? ns, string? name, string? subresource = null)
    {
        var action = new FakeApiAction(verb, kind, ns, name, subresource);
        _actions.Add(action);
        if (Interceptor?.Invoke(action) is { } error)
        {
            throw error;
        }
    }

    private static string ObjectKeyOf(ResourceKind kind, JsonObject obj) => kind.Key(obj.GetNamespace(), obj.GetName()!);

    /// <summary>A deep copy through JSON text, so values read back as a real store's do (numbers as parsed JSON, not CLR ints).</summary>
    private static JsonObject Roundtrip(JsonObject obj) => JsonNode.Parse(obj.ToJsonString())!.AsObject();

    private static string RandomSuffix() => Guid.NewGuid().ToString("N")[..5];

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One call made to a <see cref="FakeApiClient"/>.</summary>
public sealed record FakeApiAction(string Verb, ResourceKind Kind, string? Namespace, string? Name, string? Subresource);
