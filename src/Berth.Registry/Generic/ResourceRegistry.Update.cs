using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;

namespace Berth.Registry.Generic;

/// <summary>Which part of an object a PUT or PATCH may change.</summary>
internal enum UpdateTarget
{
    /// <summary>The object itself; the strategy keeps status (PrepareForUpdate).</summary>
    Main,

    /// <summary>The <c>status</c> subresource: only status changes (PrepareForStatusUpdate, metadata reset).</summary>
    Status,

    /// <summary>The namespaces <c>finalize</c> subresource: only <c>spec.finalizers</c> changes.</summary>
    Finalize,

    /// <summary>The pods <c>ephemeralcontainers</c> subresource: only <c>spec.ephemeralContainers</c> changes.</summary>
    EphemeralContainers,
}

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// PUT of <paramref name="obj"/> (consumed) onto <paramref name="name"/>. A body resourceVersion is a precondition
    /// (409 when stale, also when a concurrent write wins); without one the update is unconditional and retried on
    /// conflicts. An update that changes nothing is not written. Mirrors store.go Update and rest/update.go BeforeUpdate.
    /// </summary>
    public async Task<WriteResult> UpdateAsync(string? ns, string name, JsonObject obj, UpdateTarget target, WriteOptions options,
        CancellationToken cancellationToken)
    {
        ObjectMetaRules.EnsureNamespaceMatches(Kind, obj, ns);
        ObjectMetaRules.StampTypeMeta(Kind, obj);
        var bodyName = obj.GetName() ?? "";
        if (bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        var warnings = FieldValidationRules.Apply(Kind, obj, options.FieldValidation);
        var key = Key(ns, name);
        if (target == UpdateTarget.Main && Strategy.AllowCreateOnUpdate &&
            await _store.GetAsync(key, cancellationToken).ConfigureAwait(false) is null)
        {
            return await CreateOnUpdateAsync(ns, obj, options, warnings, cancellationToken).ConfigureAwait(false);
        }
        var requestedRv = obj.GetResourceVersion();
        var hooks = new StoreHookScope(target == UpdateTarget.Main ? await ReadyHooksAsync(cancellationToken).ConfigureAwait(false) : null, options.DryRun);
        var outcome = await HookedUpdateAsync(key, name, hooks, current =>
        {
            Preconditions.CheckUpdate(Kind, name, requestedRv, current);
            var prepared = PrepareUpdate(obj.DeepClone().AsObject(), current, target);
            Admit(options, target, prepared, current);
            hooks.BeginUpdate(prepared, current);
            ManagedFieldsRecorder.RecordUpdate(Kind, prepared, current, options.FieldManager, _time.GetUtcNow(), SubresourceOf(target));
            return prepared;
        }, options.DryRun, cancellationToken).ConfigureAwait(false);
        return new WriteResult(outcome.Object, false, warnings);
    }

    /// <summary>
    /// <see cref="GuaranteedUpdateAsync"/> (deletes allowed) that finishes <paramref name="hooks"/> with the outcome,
    /// and tells the hooks when the update deleted the object.
    /// </summary>
    private async Task<UpdateOutcome> HookedUpdateAsync(string key, string name, StoreHookScope hooks, Func<JsonObject, JsonObject?> tryUpdate,
        bool dryRun, CancellationToken cancellationToken)
    {
        var success = false;
        try
        {
            var outcome = await GuaranteedUpdateAsync(key, name, tryUpdate, dryRun, allowDeleteDuringUpdate: true, cancellationToken).ConfigureAwait(false);
            success = !outcome.Deleted;
            if (outcome is { Deleted: true, Written: true } && !dryRun)
            {
                Hooks?.AfterDelete(outcome.Object);
            }
            return outcome;
        }
        finally
        {
            hooks.Finish(success);
        }
    }

    private async Task<WriteResult> CreateOnUpdateAsync(string? ns, JsonObject obj, WriteOptions options, IReadOnlyList<string> warnings,
        CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(obj.GetResourceVersion()))
        {
            throw ApiErrors.Conflict(Kind, obj.GetName()!);
        }
        var created = await CreateAsync(ns, obj, options with { FieldValidation = FieldValidation.Ignore }, cancellationToken).ConfigureAwait(false);
        return created with { Warnings = warnings };
    }

    /// <summary>Runs the request's admission (<see cref="WriteOptions.Admit"/>) on a main-resource update.</summary>
    private static void Admit(WriteOptions options, UpdateTarget target, JsonObject prepared, JsonObject current)
    {
        if (target == UpdateTarget.Main)
        {
            options.Admit?.Invoke(prepared, current);
        }
    }

    /// <summary>
    /// Turns the requested object into the one to store, given the current one: keeps what a client may not change
    /// (identity, creation and deletion fields, generation), runs the strategy for <paramref name="target"/>,
    /// validates (422), and bumps <c>generation</c> when <c>spec</c> changed. Returns <paramref name="obj"/>.
    /// </summary>
    private JsonObject PrepareUpdate(JsonObject obj, JsonObject current, UpdateTarget target)
    {
        var errors = new List<FieldError>();
        var uid = obj.GetUid();
        if (!string.IsNullOrEmpty(uid) && uid != current.GetUid())
        {
            errors.Add(FieldError.Invalid("metadata.uid", uid, "field is immutable"));
        }
        var meta = obj.Metadata();
        var currentMeta = current.Metadata();
        switch (target)
        {
            case UpdateTarget.Status:
                Strategy.PrepareForStatusUpdate(obj, current);
                ResetMetadataForStatus(obj, current);
                break;
            case UpdateTarget.Finalize:
                obj = PrepareFinalize(obj, current);
                meta = obj.Metadata();
                break;
            case UpdateTarget.EphemeralContainers:
                obj = PodEphemeralContainersStrategy.PrepareForUpdate(obj, current);
                meta = obj.Metadata();
                break;
            default:
                Strategy.PrepareForUpdate(obj, current);
                break;
        }
        foreach (var field in SystemMetaFields)
        {
            MetaFields.CopyField(currentMeta, meta, field);
        }
        Strategy.Default(obj);
        errors.AddRange(target switch
        {
            UpdateTarget.Status => Strategy.ValidateStatusUpdate(obj, current),
            UpdateTarget.EphemeralContainers => PodEphemeralContainersStrategy.ValidateUpdate(obj, current),
            _ => Strategy.ValidateUpdate(obj, current),
        });
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(Kind, current.GetName() ?? "", errors);
        }
        BumpGeneration(obj, current);
        return obj;
    }

    /// <summary>The subresource a write to <paramref name="target"/> is recorded under in managedFields (null: the object itself).</summary>
    private static string? SubresourceOf(UpdateTarget target) => target switch
    {
        UpdateTarget.Status => "status",
        UpdateTarget.Finalize => "finalize",
        UpdateTarget.EphemeralContainers => "ephemeralcontainers",
        _ => null,
    };

    /// <summary>Metadata fields only the server writes; an update always keeps the stored values.</summary>
    private static readonly string[] SystemMetaFields =
        ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion"];

    private void BumpGeneration(JsonObject obj, JsonObject current)
    {
        if (Strategy.TracksGeneration && !JsonNode.DeepEquals(obj["spec"], current["spec"]))
        {
            obj.SetGeneration(Math.Max(current.GetGeneration(), 0) + 1);
        }
    }

    /// <summary>A status write changes no metadata apart from managedFields (upstream ResetObjectMetaForStatus).</summary>
    private static void ResetMetadataForStatus(JsonObject obj, JsonObject current)
    {
        var managedFields = obj.Metadata()["managedFields"]?.DeepClone();
        var meta = current.Metadata().DeepClone().AsObject();
        MetaFields.SetOrRemove(meta, "managedFields", managedFields ?? current.Metadata()["managedFields"]?.DeepClone());
        obj["metadata"] = meta;
    }

    /// <summary>namespaces/{name}/finalize: the stored namespace with the requested <c>spec.finalizers</c>.</summary>
    private static JsonObject PrepareFinalize(JsonObject obj, JsonObject current)
    {
        var result = current.DeepClone().AsObject();
        var finalizers = obj.GetArray("spec", "finalizers")?.DeepClone();
        if (finalizers is null or JsonArray { Count: 0 })
        {
            result.GetObject("spec")?.Remove("finalizers");
        }
        else
        {
            result.SetPath(finalizers, "spec", "finalizers");
        }
        return result;
    }
}
