using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Networking;

/// <summary>
/// Ingresses (networking.k8s.io/v1): an empty load-balancer status on create (Berth runs no ingress controller, so it
/// stays empty), generation tracking, spec validation, and the <c>kubernetes.io/ingress.class</c> annotation must
/// match <c>ingressClassName</c> when both are set. Stateless, thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/networking/ingress/strategy.go and pkg/apis/networking/validation (ValidateIngressCreate).
/// </summary>
internal sealed class IngressStrategy() : ResourceStrategy(KindRegistry.Ingresses)
{
    public const string ClassAnnotation = "kubernetes.io/ingress.class";

    public override bool TracksGeneration => true;

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var spec = obj["spec"] as JsonObject ?? [];
        IngressValidation.ValidateSpec(spec, "spec", errs);
        if (obj.GetString("metadata", "annotations", ClassAnnotation) is { } annotation &&
            JsonFields.AsString(spec["ingressClassName"]) is { } className && annotation != className)
        {
            // Upstream's path omits "metadata." here.
            errs.Add(FieldError.Invalid("annotations.kubernetes.io/ingress.class", annotation, "must match `ingressClassName` when both are specified"));
        }
        return errs;
    }
}
