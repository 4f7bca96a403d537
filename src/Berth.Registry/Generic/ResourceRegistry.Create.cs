using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Storage;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>
    /// POST: namespace admission, type stamp, field validation, system fields, generateName, then the strategy
    /// (PrepareForCreate → Default → Validate) and the store. <paramref name="obj"/> is consumed (mutated).
    /// A generated name that collides is regenerated (upstream RetryGenerateName); a given one is 409 AlreadyExists.
    /// Mirrors store.go Create and rest/create.go BeforeCreate.
    /// </summary>
    public async Task<WriteResult> CreateAsync(string? ns, JsonObject obj, WriteOptions options, CancellationToken cancellationToken)
    {
        var warnings = PrepareForCreate(ns, obj, options);
        if (Kind.Namespaced)
        {
            await _namespaces.AdmitCreateAsync(Kind, obj.GetNamespace()!, obj.GetName() ?? "", cancellationToken).ConfigureAwait(false);
        }
        var generated = ObjectMetaRules.ApplyGenerateName(obj);
        ValidateCreate(obj);
        options.Admit?.Invoke(obj, null);
        var hooks = await ReadyHooksAsync(cancellationToken).ConfigureAwait(false);
        var finish = hooks?.BeginCreate(obj, options.DryRun);
        var success = false;
        try
        {
            if (options.DryRun)
            {
                return new WriteResult(obj, true, warnings);
            }
            var result = await StoreCreateAsync(obj, generated, warnings, cancellationToken).ConfigureAwait(false);
            success = true;
            return result;
        }
        finally
        {
            finish?.Invoke(success);
        }
    }

    /// <summary>The store write of a create, regenerating a generated name that collides.</summary>
    private async Task<WriteResult> StoreCreateAsync(JsonObject obj, bool generated, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stored = await _store.CreateAsync(Key(obj.GetNamespace(), obj.GetName()!), obj, cancellationToken).ConfigureAwait(false);
                obj.SetResourceVersion(Rv(stored.Revision));
                return new WriteResult(obj, true, warnings);
            }
            catch (StoreKeyExistsException) when (generated && attempt < _options.MaxNameGenerationAttempts)
            {
                ObjectMetaRules.ApplyGenerateName(ClearName(obj));
            }
            catch (StoreKeyExistsException)
            {
                throw ApiErrors.AlreadyExists(Kind, obj.GetName()!);
            }
        }
    }

    /// <summary>Everything before admission: namespace match, type stamp, field pruning, system fields, strategy preparation.</summary>
    private IReadOnlyList<string> PrepareForCreate(string? ns, JsonObject obj, WriteOptions options)
    {
        ObjectMetaRules.EnsureNamespaceMatches(Kind, obj, ns);
        ObjectMetaRules.StampTypeMeta(Kind, obj);
        var warnings = FieldValidationRules.Apply(Kind, obj, options.FieldValidation);
        if (!string.IsNullOrEmpty(obj.GetResourceVersion()))
        {
            throw ApiErrors.BadRequest("resourceVersion should not be set on objects to be created");
        }
        ObjectMetaRules.FillSystemFieldsForCreate(obj, Now());
        Strategy.PrepareForCreate(obj);
        if (Strategy.TracksGeneration)
        {
            obj.SetGeneration(1);
        }
        Strategy.Default(obj);
        ManagedFieldsRecorder.RecordUpdate(Kind, obj, null, options.FieldManager, _time.GetUtcNow());
        return warnings;
    }

    /// <summary>The kind's validation first (its messages are the specific ones), then the common ObjectMeta checks.</summary>
    private void ValidateCreate(JsonObject obj)
    {
        var errors = Strategy.Validate(obj).Concat(ObjectMetaRules.ValidateCommon(Kind, obj))
            .DistinctBy(e => (e.Field, e.Type)).ToList();
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(Kind, obj.GetName() ?? "", errors);
        }
    }

    private static JsonObject ClearName(JsonObject obj)
    {
        obj.Metadata().Remove("name");
        return obj;
    }
}
