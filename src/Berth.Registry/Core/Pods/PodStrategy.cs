using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// Pods: Pending phase and QoS class on create, API and admission defaults, full spec validation, the narrow
/// set of updatable spec fields, graceful deletion and the pod field selectors. Stateless and thread-safe.
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/strategy.go (podStrategy, podStatusStrategy).
/// </summary>
internal sealed class PodStrategy() : ResourceStrategy(KindRegistry.Pods)
{
    /// <summary>
    /// Replaces any client-sent status with <c>{phase: Pending, qosClass}</c>. Requests are first defaulted from
    /// limits (normally a Default step) because the QoS class depends on them.
    /// </summary>
    public override void PrepareForCreate(JsonObject obj)
    {
        var spec = JsonFields.Child(obj, "spec");
        PodDefaults.DefaultRequestsFromLimits(spec);
        obj["status"] = new JsonObject
        {
            ["phase"] = "Pending",
            ["qosClass"] = PodQos.Compute(spec),
        };
    }

    /// <summary>Keeps status (base) and the priority the Priority admission resolved at create when the update omits it.</summary>
    public override void PrepareForUpdate(JsonObject newObj, JsonObject oldObj)
    {
        base.PrepareForUpdate(newObj, oldObj);
        Scheduling.PriorityAdmission.AdmitUpdate(newObj, oldObj);
    }

    public override void Default(JsonObject obj) => PodDefaults.Apply(obj);

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        PodSpecValidation.Validate(obj["spec"] as JsonObject ?? [], "spec", errs);
        if (obj.GetArray("spec", "ephemeralContainers") is { Count: > 0 })
        {
            // Upstream ValidatePodCreate: ephemeral containers only arrive through pods/ephemeralcontainers.
            errs.Add(FieldError.Forbidden("spec.ephemeralContainers", "cannot be set on create"));
        }
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        PodUpdateValidation.Validate(newObj, oldObj, errs);
        return errs;
    }

    /// <summary>
    /// Keeps spec (base), and from the old metadata the owner references and deletion fields, which old kubelets
    /// corrupt through <c>/status</c>; the QoS class is immutable and backfilled when the writer dropped it.
    /// </summary>
    public override void PrepareForStatusUpdate(JsonObject newObj, JsonObject oldObj)
    {
        base.PrepareForStatusUpdate(newObj, oldObj);
        var meta = newObj.Metadata();
        foreach (var key in (string[])["ownerReferences", "deletionTimestamp", "deletionGracePeriodSeconds"])
        {
            meta[key] = oldObj.GetPath("metadata", key)?.DeepClone();
            if (meta[key] is null)
            {
                meta.Remove(key);
            }
        }
        if (string.IsNullOrEmpty(newObj.GetString("status", "qosClass")) && oldObj.GetString("status", "qosClass") is { } qos)
        {
            JsonFields.Child(newObj, "status")["qosClass"] = qos;
        }
    }

    /// <summary>
    /// The requested grace, else the spec's, else 0; forced to 0 for an unscheduled pod or one in a terminal
    /// phase; a negative result becomes 1 (kubernetes-termination.md §1.1).
    /// </summary>
    public override long? CheckGracefulDelete(JsonObject obj, long? requestedGracePeriodSeconds)
    {
        var period = requestedGracePeriodSeconds ?? JsonFields.AsLong(obj.GetPath("spec", "terminationGracePeriodSeconds")) ?? 0;
        if (string.IsNullOrEmpty(obj.GetString("spec", "nodeName")))
        {
            period = 0;
        }
        if (obj.GetString("status", "phase") is "Failed" or "Succeeded")
        {
            period = 0;
        }
        return period < 0 ? 1 : period;
    }

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "spec.nodeName" or "spec.restartPolicy" or "spec.schedulerName" or "spec.serviceAccountName"
            or "status.phase" or "status.nominatedNodeName" => obj.GetString(field.Split('.')) ?? "",
        "spec.hostNetwork" => obj.GetBool("spec", "hostNetwork") == true ? "true" : "false",
        "status.podIP" => PodIp(obj),
        _ => base.GetSelectableField(obj, field),
    };

    private static string PodIp(JsonObject obj) =>
        obj.GetArray("status", "podIPs") is [JsonObject first, ..] && JsonFields.AsString(first["ip"]) is { } ip
            ? ip
            : obj.GetString("status", "podIP") ?? "";
}
