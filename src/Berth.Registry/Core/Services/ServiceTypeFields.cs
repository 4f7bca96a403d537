using System.Text.Json.Nodes;
using Berth.Registry.Core.Services.Allocation;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Services;

/// <summary>
/// On a type change, clears what the new type does not use when the client left the old value in place: cluster IPs
/// and families when moving to ExternalName, node ports when moving to a type without them. Mutates the new spec
/// only. Mirrors kubernetes/kubernetes pkg/registry/core/service/strategy.go (dropTypeDependentFields).
/// </summary>
internal static class ServiceTypeFields
{
    public static void DropTypeDependentFields(JsonObject spec, JsonObject oldSpec)
    {
        if (JsonFields.AsString(spec["type"]) == JsonFields.AsString(oldSpec["type"]))
        {
            return;
        }
        if (JsonFields.AsString(spec["type"]) == "ExternalName" && JsonFields.AsString(oldSpec["type"]) != "ExternalName" &&
            JsonNode.DeepEquals(spec["clusterIPs"], oldSpec["clusterIPs"]))
        {
            foreach (var key in (string[])["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"])
            {
                spec.Remove(key);
            }
        }
        if (!ServiceAllocator.NeedsNodePorts(spec) && ServiceAllocator.NeedsNodePorts(oldSpec) && SameNodePorts(spec, oldSpec))
        {
            foreach (var (_, port) in JsonFields.Objects(spec["ports"] as JsonArray))
            {
                port.Remove("nodePort");
            }
        }
        if (!ServiceDefaults.IsExternallyAccessible(spec))
        {
            spec.Remove("externalTrafficPolicy");
        }
    }

    private static bool SameNodePorts(JsonObject spec, JsonObject oldSpec) =>
        ServiceAllocator.NodePortsOf(spec).SetEquals(ServiceAllocator.NodePortsOf(oldSpec));
}
