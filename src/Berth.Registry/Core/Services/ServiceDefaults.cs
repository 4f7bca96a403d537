using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Services;

/// <summary>
/// API defaults of a Service: type, session affinity, port protocols and target ports, traffic policies, and the
/// clusterIP/clusterIPs/ipFamilies fields once a cluster IP is present (allocation itself is the registry's).
/// Mutates in place; idempotent. Mirrors kubernetes/kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_Service)
/// and the family defaulting in pkg/registry/core/service/storage (initIPFamilyFields).
/// </summary>
internal static class ServiceDefaults
{
    public const long DefaultClientIPTimeoutSeconds = 10800;

    public static void Apply(JsonObject spec)
    {
        JsonFields.SetDefaultString(spec, "sessionAffinity", "None");
        ApplySessionAffinityConfig(spec);
        JsonFields.SetDefaultString(spec, "type", "ClusterIP");
        foreach (var (_, port) in JsonFields.Objects(spec["ports"] as JsonArray))
        {
            JsonFields.SetDefaultString(port, "protocol", "TCP");
            if (JsonSemantics.IsZero(port["targetPort"]) && port["port"] is { } p)
            {
                port["targetPort"] = p.DeepClone();
            }
        }
        var type = JsonFields.AsString(spec["type"]);
        if (IsExternallyAccessible(spec))
        {
            JsonFields.SetDefaultString(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type is "ClusterIP" or "NodePort" or "LoadBalancer")
        {
            JsonFields.SetDefaultString(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type == "LoadBalancer")
        {
            JsonFields.SetDefault(spec, "allocateLoadBalancerNodePorts", true);
        }
        if (type != "ExternalName")
        {
            ApplyClusterIPFields(spec);
        }
    }

    /// <summary>LoadBalancer and NodePort services, and ClusterIP services with external IPs.</summary>
    public static bool IsExternallyAccessible(JsonObject spec) =>
        JsonFields.AsString(spec["type"]) switch
        {
            "LoadBalancer" or "NodePort" => true,
            "ClusterIP" => spec["externalIPs"] is JsonArray { Count: > 0 },
            _ => false,
        };

    private static void ApplySessionAffinityConfig(JsonObject spec)
    {
        switch (JsonFields.AsString(spec["sessionAffinity"]))
        {
            case "None":
                spec.Remove("sessionAffinityConfig");
                break;
            case "ClientIP" when spec.GetPath("sessionAffinityConfig", "clientIP", "timeoutSeconds") is null:
                spec["sessionAffinityConfig"] = new JsonObject
                {
                    ["clientIP"] = new JsonObject { ["timeoutSeconds"] = DefaultClientIPTimeoutSeconds },
                };
                break;
        }
    }

    /// <summary>Keeps clusterIP and clusterIPs[0] in step and, once an IP (or None) is set, fills the families.</summary>
    private static void ApplyClusterIPFields(JsonObject spec)
    {
        var clusterIP = JsonFields.AsString(spec["clusterIP"]) ?? "";
        var clusterIPs = spec["clusterIPs"] as JsonArray;
        if (clusterIP.Length == 0 && clusterIPs is [var first, ..] && JsonFields.AsString(first) is { Length: > 0 } ip)
        {
            spec["clusterIP"] = clusterIP = ip;
        }
        if (clusterIP.Length == 0)
        {
            return;
        }
        if (clusterIPs is not { Count: > 0 })
        {
            spec["clusterIPs"] = new JsonArray(clusterIP);
        }
        if (spec["ipFamilies"] is not JsonArray { Count: > 0 })
        {
            var v6 = IPAddress.TryParse(clusterIP, out var addr) && addr.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            spec["ipFamilies"] = new JsonArray(v6 ? "IPv6" : "IPv4");
        }
        JsonFields.SetDefaultString(spec, "ipFamilyPolicy", "SingleStack");
    }
}
