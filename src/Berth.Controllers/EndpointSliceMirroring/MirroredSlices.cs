using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Berth.Controllers.EndpointSlice;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSliceMirroring;

/// <summary>
/// The EndpointSlices that mirror a hand-written v1 Endpoints object: one per subset and address family, with the
/// subset's ports, its addresses as ready endpoints and its notReadyAddresses as not-ready ones (IP, hostname,
/// nodeName, targetRef). Each carries the Endpoints' labels plus <c>kubernetes.io/service-name</c> and
/// <c>endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io</c>, its annotations except
/// the last-applied configuration and the trigger time, and a controller reference to the Endpoints. Pure.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/controller/endpointslicemirroring (utils.go newEndpointSlice, addressToEndpoint,
/// epPortsToEpsPorts). Deviation: subsets with equal ports are not merged into one slice, and no slice is split at
/// maxEndpointsPerSubset.
/// </remarks>
public static class MirroredSlices
{
    public const string ControllerName = "endpointslicemirroring-controller.k8s.io";

    /// <summary>Set to "true" on an Endpoints object that must not be mirrored.</summary>
    public const string SkipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror";

    private static readonly string[] DroppedAnnotations =
        ["kubectl.kubernetes.io/last-applied-configuration", "endpoints.kubernetes.io/last-change-trigger-time"];

    public static bool IsMirrored(JsonObject slice, string serviceName)
    {
        var labels = slice.GetStringMap("metadata", "labels");
        return labels.TryGetValue(EndpointSliceLabels.ManagedBy, out var by) && by == ControllerName &&
            labels.TryGetValue(EndpointSliceLabels.ServiceName, out var name) && name == serviceName;
    }

    /// <summary>The desired slices (without names; the caller reuses existing ones or generates names).</summary>
    public static List<JsonObject> For(JsonObject endpoints)
    {
        var slices = new List<JsonObject>();
        foreach (var subset in (endpoints.GetArray("subsets") ?? []).OfType<JsonObject>())
        {
            var ports = new JsonArray([.. (subset.GetArray("ports") ?? []).OfType<JsonObject>().Select(Port)]);
            var all = Addresses(subset, "addresses", ready: true).Concat(Addresses(subset, "notReadyAddresses", ready: false)).ToList();
            foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
            {
                var members = all.Where(a => a.Family == family).Select(a => (JsonNode)a.Endpoint).ToArray();
                if (members.Length > 0)
                {
                    slices.Add(Slice(endpoints, family == AddressFamily.InterNetwork ? "IPv4" : "IPv6", ports.DeepClone(), new JsonArray(members)));
                }
            }
        }
        return slices;
    }

    private static JsonObject Port(JsonObject port)
    {
        var result = new JsonObject { ["name"] = port.GetString("name") ?? "", ["port"] = port["port"]?.DeepClone(), ["protocol"] = port.GetString("protocol") ?? "TCP" };
        if (port.GetString("appProtocol") is { } appProtocol)
        {
            result["appProtocol"] = appProtocol;
        }
        return result;
    }

    private static IEnumerable<(AddressFamily Family, JsonObject Endpoint)> Addresses(JsonObject subset, string field, bool ready)
    {
        foreach (var address in (subset.GetArray(field) ?? []).OfType<JsonObject>())
        {
            if (!IPAddress.TryParse(address.GetString("ip"), out var ip))
            {
                continue;
            }
            var endpoint = new JsonObject { ["addresses"] = new JsonArray(address.GetString("ip")), ["conditions"] = new JsonObject { ["ready"] = ready } };
            if (address.GetString("hostname") is { Length: > 0 } hostname)
            {
                endpoint["hostname"] = hostname;
            }
            if (address.GetString("nodeName") is { Length: > 0 } nodeName)
            {
                endpoint["nodeName"] = nodeName;
            }
            if (address["targetRef"] is JsonObject targetRef)
            {
                endpoint["targetRef"] = targetRef.DeepClone();
            }
            yield return (ip.AddressFamily, endpoint);
        }
    }

    private static JsonObject Slice(JsonObject endpoints, string addressType, JsonNode ports, JsonArray members)
    {
        var labels = endpoints.GetObject("metadata", "labels")?.DeepClone().AsObject() ?? [];
        labels[EndpointSliceLabels.ServiceName] = endpoints.GetName();
        labels[EndpointSliceLabels.ManagedBy] = ControllerName;
        var metadata = new JsonObject
        {
            ["namespace"] = endpoints.GetNamespace(),
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Endpoints", ["name"] = endpoints.GetName(),
                ["uid"] = endpoints.GetString("metadata", "uid"), ["controller"] = true, ["blockOwnerDeletion"] = true,
            }),
        };
        var annotations = endpoints.GetObject("metadata", "annotations")?.DeepClone().AsObject() ?? [];
        foreach (var key in DroppedAnnotations)
        {
            annotations.Remove(key);
        }
        if (annotations.Count > 0)
        {
            metadata["annotations"] = annotations;
        }
        return new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1", ["kind"] = "EndpointSlice", ["metadata"] = metadata,
            ["addressType"] = addressType, ["endpoints"] = members, ["ports"] = ports,
        };
    }
}
