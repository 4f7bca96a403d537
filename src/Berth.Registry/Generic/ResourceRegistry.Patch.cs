using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// PATCH: applies <paramref name="patch"/> to the current object and runs the update path on the result, retrying
    /// on store conflicts (GuaranteedUpdate semantics); a resourceVersion the patch sets is a precondition (409).
    /// Server-side apply of a missing object is a create, which <see cref="ApiRegistry"/> routes through its create
    /// admission (<see cref="ApplyOntoNothing"/>); here a missing object is 404.
    /// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (patcher).
    /// </summary>
    public async Task<WriteResult> PatchAsync(string? ns, string name, PatchType type, JsonNode patch, UpdateTarget target,
        WriteOptions options, CancellationToken cancellationToken)
    {
        var key = Key(ns, name);
        var warnings = (IReadOnlyList<string>)[];
        var hooks = new StoreHookScope(target == UpdateTarget.Main ? await ReadyHooksAsync(cancellationToken).ConfigureAwait(false) : null, options.DryRun);
        var outcome = await HookedUpdateAsync(key, name, hooks, current =>
        {
            var patched = PatchApplier.Apply(Kind, current.DeepClone().AsObject(), type, patch, options, _time.GetUtcNow(), SubresourceOf(target));
            warnings = CheckPatched(patched, name, options);
            Preconditions.CheckUpdate(Kind, name, patched.GetResourceVersion(), current);
            var prepared = PrepareUpdate(patched, current, target);
            Admit(options, target, prepared, current);
            hooks.BeginUpdate(prepared, current);
            if (type != PatchType.Apply)
            {
                ManagedFieldsRecorder.RecordUpdate(Kind, prepared, current, options.FieldManager, _time.GetUtcNow(), SubresourceOf(target));
            }
            return prepared;
        }, options.DryRun, cancellationToken).ConfigureAwait(false);
        return new WriteResult(outcome.Object, false, warnings);
    }

    /// <summary>True when nothing is stored under the name (server-side apply then creates).</summary>
    public async Task<bool> IsMissingAsync(string? ns, string name, CancellationToken cancellationToken) =>
        await _store.GetAsync(Key(ns, name), cancellationToken).ConfigureAwait(false) is null;

    /// <summary>
    /// Server-side apply onto nothing: the applied configuration as the object to create (HTTP 201), with the apply
    /// entry already in its managedFields, so the create must record no Update entry (no field manager).
    /// </summary>
    public JsonObject ApplyOntoNothing(string? ns, string name, JsonNode patch, WriteOptions options)
    {
        var empty = new JsonObject { ["apiVersion"] = Kind.ApiVersion, ["kind"] = Kind.Kind, ["metadata"] = new JsonObject { ["name"] = name } };
        if (Kind.Namespaced)
        {
            empty.Metadata()["namespace"] = ns;
        }
        var obj = PatchApplier.Apply(Kind, empty, PatchType.Apply, patch, options, _time.GetUtcNow());
        var bodyName = obj.GetName() ?? "";
        if (bodyName != name)
        {
            throw Machinery.Errors.ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        return obj;
    }

    /// <summary>The patched object must still be this kind and this name; unknown fields follow fieldValidation.</summary>
    private IReadOnlyList<string> CheckPatched(JsonObject patched, string name, WriteOptions options)
    {
        ObjectMetaRules.StampTypeMeta(Kind, patched);
        var patchedName = patched.GetName() ?? "";
        if (patchedName != name)
        {
            throw Machinery.Errors.ApiErrors.BadRequest($"the name of the object ({patchedName}) does not match the name on the URL ({name})");
        }
        return FieldValidationRules.Apply(Kind, patched, options.FieldValidation);
    }
}
