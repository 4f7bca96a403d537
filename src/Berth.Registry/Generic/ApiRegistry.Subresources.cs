using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Registry.Generic;

public sealed partial class ApiRegistry
{
    public async Task<JsonObject> GetSubresourceAsync(ResourceKind kind, string? ns, string name, string subresource,
        CancellationToken cancellationToken = default)
    {
        var registry = For(kind);
        return subresource switch
        {
            "status" when kind.Subresources.Contains("status") => await registry.GetAsync(ns, name, cancellationToken).ConfigureAwait(false),
            "ephemeralcontainers" when kind == KindRegistry.Pods => await registry.GetAsync(ns, name, cancellationToken).ConfigureAwait(false),
            "scale" when registry.SupportsScale => await registry.GetScaleAsync(ns, name, cancellationToken).ConfigureAwait(false),
            _ => throw ApiErrors.MethodNotSupported($"{kind.GroupResource}/{subresource}", "get"),
        };
    }

    public Task<JsonObject> GetAsync(ResourceKind kind, string? ns, string name, string subresource, CancellationToken cancellationToken = default) =>
        GetSubresourceAsync(kind, ns, name, subresource, cancellationToken);

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body,
        WriteOptions? options = null, CancellationToken cancellationToken = default) =>
        (await CreateSubresourceAsync(kind, ns, name, subresource, body, options, cancellationToken).ConfigureAwait(false)).Object;

    public Task<WriteResult> CreateSubresourceAsync(ResourceKind kind, string? ns, string name, string subresource, JsonObject body,
        WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (kind == KindRegistry.ServiceAccounts && subresource == "token" && _options.TokenIssuer is { } issuer)
        {
            return new Core.ServiceAccounts.TokenRequestRest(this, issuer, _time).CreateAsync(ns ?? "", name, Copy(body), cancellationToken);
        }
        var registry = For(kind);
        options ??= new WriteOptions();
        return (kind == KindRegistry.Pods, subresource) switch
        {
            (true, "binding") => registry.BindAsync(ns, name, Copy(body), options, cancellationToken),
            (true, "eviction") => EvictAsync(ns, name, Copy(body), options, cancellationToken),
            _ => throw ApiErrors.MethodNotSupported($"{kind.GroupResource}/{subresource}", "create"),
        };
    }

    public Task<WriteResult> UpdateResourceAsync(ResourceKind kind, string? ns, string name, JsonObject obj, string? subresource = null,
        WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var registry = For(kind);
        options ??= new WriteOptions();
        if (subresource == "scale" && registry.SupportsScale)
        {
            var scale = Copy(obj);
            return registry.UpdateScaleAsync(ns, name, _ => scale.DeepClone().AsObject(), options, cancellationToken);
        }
        var target = Target(kind, subresource, "update");
        var write = registry.UpdateAsync(ns, name, Copy(obj), target, options, cancellationToken);
        return ReleasesPodStart(kind, target) ? ReleasePodStartAfter(write) : write;
    }

    public async Task<WriteResult> PatchResourceAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch,
        string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var registry = For(kind);
        options ??= new WriteOptions();
        var now = _time.GetUtcNow();
        patch = JsonNode.Parse(patch.ToJsonString())!;
        if (subresource == "scale" && registry.SupportsScale)
        {
            // An apply through /scale records no entry on the parent (not mapped; kubectl never applies to /scale).
            var parentOptions = type == PatchType.Apply ? options with { FieldManager = null } : options;
            return await registry.UpdateScaleAsync(ns, name,
                scale => PatchApplier.Apply(ResourceRegistry.ScaleKind, scale, type, patch, options, now), parentOptions, cancellationToken).ConfigureAwait(false);
        }
        var target = Target(kind, subresource, "patch");
        if (type == PatchType.Apply && target == UpdateTarget.Main && await registry.IsMissingAsync(ns, name, cancellationToken).ConfigureAwait(false))
        {
            // A create like any other: the same admission (ServiceAccount, Priority, LimitRanger, quota, storage classes).
            var created = registry.ApplyOntoNothing(ns, name, patch, options);
            return await CreateResourceAsync(kind, ns, created, options with { FieldManager = null }, cancellationToken).ConfigureAwait(false);
        }
        var write = registry.PatchAsync(ns, name, type, patch, target, options, cancellationToken);
        return await (ReleasesPodStart(kind, target) ? ReleasePodStartAfter(write) : write).ConfigureAwait(false);
    }

    /// <summary>Maps a writable subresource to its update target; 405 for anything else.</summary>
    private static UpdateTarget Target(ResourceKind kind, string? subresource, string verb) => subresource switch
    {
        null or "" => UpdateTarget.Main,
        "status" when kind.Subresources.Contains("status") => UpdateTarget.Status,
        "finalize" when kind == KindRegistry.Namespaces => UpdateTarget.Finalize,
        "ephemeralcontainers" when kind == KindRegistry.Pods => UpdateTarget.EphemeralContainers,
        _ => throw ApiErrors.MethodNotSupported($"{kind.GroupResource}/{subresource}", verb),
    };
}
