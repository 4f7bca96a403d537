using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.Registry.Generic;

internal sealed partial class ResourceRegistry
{
    private static readonly ResourceKind BindingKind = new("", "v1", "Binding", "bindings", "binding", true, [], [], []);
    private static readonly ResourceKind PodBindingResource = KindRegistry.Pods with { Resource = "pods/binding" };

    /// <summary>
    /// POST pods/{name}/binding: sets <c>spec.nodeName</c> of an unbound pod, copies the binding's annotations, and sets
    /// the PodScheduled condition; 409 when the pod is bound already or being deleted. Replies a Success Status (201).
    /// Mirrors kubernetes/kubernetes pkg/registry/core/pod/storage/storage.go (BindingREST, setPodNodeAndMetadata).
    /// </summary>
    public async Task<WriteResult> BindAsync(string? ns, string name, JsonObject binding, WriteOptions options, CancellationToken cancellationToken)
    {
        if ((binding.GetName() ?? "") != name)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Binding object");
        }
        var node = ValidateBinding(binding, name);
        var (uid, rv) = (binding.GetUid(), binding.GetResourceVersion());
        var annotations = binding.GetStringMap("metadata", "annotations");
        await GuaranteedUpdateAsync(Key(ns, name), name, pod =>
        {
            Preconditions.CheckDelete(Kind, pod, new DeleteOptions(PreconditionUid: uid, PreconditionResourceVersion: rv));
            if (pod.GetDeletionTimestamp() is not null)
            {
                throw ApiErrors.Conflict(PodBindingResource, name, $"pod {name} is being deleted, cannot be assigned to a host");
            }
            if (pod.GetString("spec", "nodeName") is { Length: > 0 } assigned)
            {
                throw ApiErrors.Conflict(PodBindingResource, name, $"pod {name} is already assigned to node \"{assigned}\"");
            }
            if (pod.GetArray("spec", "schedulingGates") is { Count: > 0 })
            {
                throw ApiErrors.Conflict(PodBindingResource, name, $"pod {name} has non-empty .spec.schedulingGates");
            }
            pod.SetPath(node, "spec", "nodeName");
            foreach (var (k, v) in annotations)
            {
                pod.SetPath(v, "metadata", "annotations", k);
            }
            SetPodScheduled(pod);
            return pod;
        }, options.DryRun, allowDeleteDuringUpdate: false, cancellationToken).ConfigureAwait(false);
        return new WriteResult(StatusObjects.Success(201), true, []);
    }

    private static string ValidateBinding(JsonObject binding, string name)
    {
        var errors = new List<FieldError>();
        var targetKind = binding.GetString("target", "kind") ?? "";
        if (targetKind is not ("" or "Node"))
        {
            errors.Add(new FieldError(CauseType.FieldValueNotFound, "target.kind", "", "\"" + targetKind + "\""));
        }
        var node = binding.GetString("target", "name") ?? "";
        if (node.Length == 0)
        {
            errors.Add(FieldError.Required("target.name"));
        }
        return errors.Count > 0 ? throw ApiErrors.Invalid(BindingKind, name, errors) : node;
    }

    /// <summary>Adds or updates the PodScheduled=True condition (podutil.UpdatePodCondition).</summary>
    private void SetPodScheduled(JsonObject pod)
    {
        if (pod.GetArray("status", "conditions") is not { } conditions)
        {
            conditions = [];
            pod.SetPath(conditions, "status", "conditions");
        }
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "PodScheduled");
        if (existing is null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = "PodScheduled", ["status"] = "True", ["lastProbeTime"] = null,
                ["lastTransitionTime"] = MetaTime.ToString(Now()),
            });
        }
        else if (existing.GetString("status") != "True")
        {
            existing["status"] = "True";
            existing["lastTransitionTime"] = MetaTime.ToString(Now());
        }
    }
}
