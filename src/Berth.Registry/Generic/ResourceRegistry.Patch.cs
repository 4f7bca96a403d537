using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// PATCH: applies <paramref name="patch"/> to the current object and runs the update path on the result, retrying
    /// on store conflicts (GuaranteedUpdate semantics); a resourceVersion the patch sets is a precondition (409).
    /// Server-side apply of a missing object creates it (<see cref="WriteResult.Created"/>).
    /// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go (patcher).
    /// </summary>
    public async Task<WriteResult> PatchAsync(string? ns, string name, PatchType type, JsonNode patch, UpdateTarget target,
        WriteOptions options, CancellationToken cancellationToken)
    {
        var key = Key(ns, name);
        if (type == PatchType.Apply && target == UpdateTarget.Main &&
            await _store.GetAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return await ApplyCreateAsync(ns, name, patch, options, cancellationToken).ConfigureAwait(false);
        }
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

    /// <summary>Server-side apply onto nothing: the applied configuration becomes a new object (HTTP 201).</summary>
    private async Task<WriteResult> ApplyCreateAsync(string? ns, string name, JsonNode patch, WriteOptions options, CancellationToken cancellationToken)
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
        // The apply entry is already in managedFields; the create must not add an Update entry too.
        return await CreateAsync(ns, obj, options with { FieldManager = null }, cancellationToken).ConfigureAwait(false);
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
