using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Selectors;

/// <summary>
/// The 400 for a field selector naming a field the kind cannot select on, worded per kind as kube-apiserver words it:
/// kinds with their own field-label conversion (core Pod, Node, Event, Namespace, Secret, Service,
/// ReplicationController; batch Job) name the field alone, and every other kind (ConfigMap, ServiceAccount, the apps
/// kinds, …) falls back to apimachinery's default conversion, which lists the two metadata fields it accepts.
/// Mirrors the conversion funcs in kubernetes/kubernetes pkg/apis/core/v1/conversion.go and pkg/apis/batch/v1/conversion.go
/// and DefaultMetaV1FieldSelectorConversion in k8s.io/apimachinery/pkg/runtime/conversion.go.
/// </summary>
public static class UnsupportedFieldLabel
{
    private static readonly HashSet<string> CoreKindsWithConversion =
        ["Pod", "Node", "Event", "Namespace", "Secret", "Service", "ReplicationController"];

    /// <summary>The error for <paramref name="field"/> on <paramref name="kind"/>.</summary>
    public static ApiException Error(ResourceKind kind, string field) => ApiErrors.BadRequest(kind switch
    {
        { Group: "", Version: "v1" } when CoreKindsWithConversion.Contains(kind.Kind) => $"field label not supported: {field}",
        { Group: "batch", Kind: "Job" } => $"field label \"{field}\" not supported for Job",
        _ => $"\"{field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
    });
}
