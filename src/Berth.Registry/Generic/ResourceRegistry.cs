using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Storage;

namespace Berth.Registry.Generic;

/// <summary>
/// The generic store of one kind over <see cref="IResourceStore"/>: create, read, update, patch, delete and watch with
/// the shared rules (namespace checks, generateName, system fields, preconditions, graceful deletion, finalizers,
/// generation) and the kind's <see cref="IResourceStrategy"/> around every write. One partial file per verb.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go (Store).
/// </summary>
/// <remarks>
/// Stateless apart from its collaborators, so thread-safe. Objects handed in are never retained; objects returned are
/// fresh copies. Concurrent writers are resolved with the store's revision check: read-modify-write verbs retry
/// (<see cref="GuaranteedUpdateAsync"/>), an update carrying a resourceVersion fails with 409 instead.
/// </remarks>
internal sealed partial class ResourceRegistry
{
    private readonly IResourceStore _store;
    private readonly TimeProvider _time;
    private readonly NamespaceLifecycle _namespaces;
    private readonly RegistryOptions _options;

    public ResourceRegistry(ResourceKind kind, IResourceStrategy strategy, IResourceStore store, TimeProvider time,
        NamespaceLifecycle namespaces, RegistryOptions options)
    {
        Kind = kind;
        Strategy = strategy;
        _store = store;
        _time = time;
        _namespaces = namespaces;
        _options = options;
    }

    public ResourceKind Kind { get; }

    public IResourceStrategy Strategy { get; }

    /// <summary>The storage key; validates that namespaced kinds get a namespace.</summary>
    private string Key(string? ns, string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw ApiErrors.BadRequest("resource name may not be empty");
        }
        if (Kind.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw ApiErrors.BadRequest($"a namespace is required for {Kind.GroupResource}");
        }
        return Kind.Key(ns, name);
    }

    /// <summary>The request time, truncated to whole seconds as metav1.Time is on the wire.</summary>
    private DateTimeOffset Now() => MetaTime.Truncate(_time.GetUtcNow());

    private static string Rv(long revision) => revision.ToString(CultureInfo.InvariantCulture);

    public async Task<StoredObject> GetStoredAsync(string? ns, string name, CancellationToken cancellationToken) =>
        await _store.GetAsync(Key(ns, name), cancellationToken).ConfigureAwait(false) ?? throw ApiErrors.NotFound(Kind, name);

    /// <summary>The strategy's store hooks (Services: IP and port allocation), or null for most kinds.</summary>
    private IStoreHooks? Hooks => Strategy as IStoreHooks;

    /// <summary>Lets the hooks load their state from the store before the first write they see.</summary>
    private async Task<IStoreHooks?> ReadyHooksAsync(CancellationToken cancellationToken)
    {
        if (Hooks is not { } hooks)
        {
            return null;
        }
        await hooks.EnsureInitializedAsync(async ct =>
            (await ListAsync(null, new ListOptions(), ct).ConfigureAwait(false)).Items, cancellationToken).ConfigureAwait(false);
        return hooks;
    }

    /// <summary>Loads the store hooks' state (for readers such as pod admission that consult it without writing).</summary>
    public Task EnsureHooksReadyAsync(CancellationToken cancellationToken) => ReadyHooksAsync(cancellationToken);

    public async Task<JsonObject> GetAsync(string? ns, string name, CancellationToken cancellationToken) =>
        (await GetStoredAsync(ns, name, cancellationToken).ConfigureAwait(false)).ToJsonObject();
}
