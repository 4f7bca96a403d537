using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    /// <summary>The autoscaling/v1 Scale kind, for error messages and field validation.</summary>
    internal static readonly ResourceKind ScaleKind = new("autoscaling", "v1", "Scale", "scale", "scale", true, [], [], []);

    /// <summary>True for kinds with a <c>scale</c> subresource (deployments, replicasets, statefulsets).</summary>
    public bool SupportsScale => Kind.Subresources.Contains("scale");

    /// <summary>GET …/scale. Mirrors kubernetes/kubernetes pkg/registry/apps/deployment/storage/storage.go (ScaleREST, scaleFromDeployment).</summary>
    public async Task<JsonObject> GetScaleAsync(string? ns, string name, CancellationToken cancellationToken) =>
        ScaleOf(await GetAsync(ns, name, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// PUT …/scale, or PATCH when <paramref name="patchScale"/> turns the current Scale into the requested one.
    /// Writes <c>spec.replicas</c> on the parent through the normal update rules (generation bump), retrying on
    /// conflicts; a resourceVersion in the requested Scale is a precondition on the parent. The manager's Update entry
    /// on the parent (subresource <c>scale</c>) takes <c>.spec.replicas</c>, as upstream's ScaleHandler maps it.
    /// </summary>
    public async Task<WriteResult> UpdateScaleAsync(string? ns, string name, Func<JsonObject, JsonObject> patchScale, WriteOptions options,
        CancellationToken cancellationToken)
    {
        var warnings = (IReadOnlyList<string>)[];
        var outcome = await GuaranteedUpdateAsync(Key(ns, name), name, current =>
        {
            var scale = patchScale(ScaleOf(current));
            warnings = ValidateScale(scale, name, options.FieldValidation);
            Preconditions.CheckUpdate(Kind, name, scale.GetResourceVersion(), current);
            var updated = current.DeepClone().AsObject();
            updated.SetPath(JsonValue.Create(scale.GetLong("spec", "replicas") ?? 0), "spec", "replicas");
            var prepared = PrepareUpdate(updated, current, UpdateTarget.Main);
            ManagedFieldsRecorder.RecordUpdate(Kind, prepared, current, options.FieldManager, _time.GetUtcNow(), "scale");
            return prepared;
        }, options.DryRun, allowDeleteDuringUpdate: false, cancellationToken).ConfigureAwait(false);
        return new WriteResult(ScaleOf(outcome.Object), false, warnings);
    }

    private static IReadOnlyList<string> ValidateScale(JsonObject scale, string name, FieldValidation mode)
    {
        ObjectMetaRules.StampTypeMeta(ScaleKind, scale);
        var warnings = FieldValidationRules.Apply(ScaleKind, scale, mode);
        var bodyName = scale.GetName() ?? "";
        if (bodyName != name)
        {
            throw ApiErrors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        var replicas = scale.GetPath("spec", "replicas");
        if (replicas is not null && (replicas is not JsonValue v || !v.TryGetValue<long>(out var n) || n < 0))
        {
            object bad = replicas is JsonValue jv && jv.TryGetValue<long>(out var negative) ? negative : replicas.ToJsonString();
            throw ApiErrors.Invalid(ScaleKind, name, [FieldError.Invalid("spec.replicas", bad, "must be greater than or equal to 0")]);
        }
        return warnings;
    }

    /// <summary>The Scale view of a workload: spec.replicas, status.replicas and the canonical selector string.</summary>
    private static JsonObject ScaleOf(JsonObject obj)
    {
        var meta = new JsonObject();
        foreach (var field in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            MetaFields.CopyField(obj.Metadata(), meta, field);
        }
        var spec = new JsonObject();
        if (obj.GetLong("spec", "replicas") is { } replicas and not 0)
        {
            spec["replicas"] = replicas;
        }
        var status = new JsonObject { ["replicas"] = obj.GetLong("status", "replicas") ?? 0 };
        var selector = LabelSelector.FromLabelSelectorJson(obj.GetObject("spec", "selector")).ToString();
        if (selector.Length > 0)
        {
            status["selector"] = selector;
        }
        return new JsonObject
        {
            ["kind"] = "Scale", ["apiVersion"] = "autoscaling/v1", ["metadata"] = meta, ["spec"] = spec, ["status"] = status,
        };
    }
}
