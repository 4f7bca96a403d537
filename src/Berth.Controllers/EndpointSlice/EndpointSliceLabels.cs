using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSlice;

/// <summary>Well-known EndpointSlice labels and the labels a managed slice carries. Mirrors kubernetes/kubernetes
/// staging/src/k8s.io/endpointslice/utils.go (setEndpointSliceLabels) and discovery/v1 well_known_labels.go.</summary>
internal static class EndpointSliceLabels
{
    public const string ManagedBy = "endpointslice.kubernetes.io/managed-by";
    public const string ControllerName = "endpointslice-controller.k8s.io";
    public const string ServiceName = "kubernetes.io/service-name";
    public const string Headless = "service.kubernetes.io/headless";

    /// <summary>The Service's own labels (reserved ones dropped), plus service name, managed-by and the headless marker.</summary>
    public static JsonObject For(JsonObject svc)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in svc.GetStringMap("metadata", "labels").OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (key is not (ManagedBy or ServiceName or Headless))
            {
                labels[key] = value;
            }
        }
        if (svc.GetString("spec", "clusterIP") == "None")
        {
            labels[Headless] = "";
        }
        labels[ServiceName] = svc.GetName();
        labels[ManagedBy] = ControllerName;
        return labels;
    }

    /// <summary>True for slices this controller manages for <paramref name="serviceName"/> (any service when null).</summary>
    public static bool IsManaged(JsonObject slice, string? serviceName = null)
    {
        var labels = slice.GetStringMap("metadata", "labels");
        return labels.TryGetValue(ManagedBy, out var by) && by == ControllerName &&
            labels.TryGetValue(ServiceName, out var svc) && (serviceName is null || svc == serviceName);
    }
}
