using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Tracking;

/// <summary>
/// Turns a Service into the ports the proxy serves. A Service is not proxied when it is headless
/// (<c>clusterIP: None</c>), has no ClusterIP yet, is an ExternalName, or its ClusterIP is not IPv4. TCP and UDP ports
/// are proxied; SCTP ports are skipped (kube-proxy programs them too; Berth does not proxy SCTP).
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/serviceport.go (newBaseServiceInfo) and pkg/proxy/util ShouldSkipService.</remarks>
public static class ServicePorts
{
    /// <summary>Upstream's default <c>sessionAffinityConfig.clientIP.timeoutSeconds</c> (3 hours).</summary>
    public const int DefaultStickyMaxAgeSeconds = 10800;

    public static ImmutableArray<ServicePortInfo> FromService(V1Service service)
    {
        var spec = service.Spec;
        if (spec is null || ShouldSkipService(spec) || !IPAddress.TryParse(spec.ClusterIP, out var clusterIP)
            || clusterIP.AddressFamily != AddressFamily.InterNetwork)
        {
            return [];
        }
        var affinity = string.Equals(spec.SessionAffinity, "ClientIP", StringComparison.Ordinal);
        var maxAge = TimeSpan.FromSeconds(spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? DefaultStickyMaxAgeSeconds);
        var internalLocal = string.Equals(spec.InternalTrafficPolicy, "Local", StringComparison.Ordinal);
        var externalAddresses = ExternalAddresses(service);
        var ns = service.Metadata?.NamespaceProperty ?? "default";
        var name = service.Metadata?.Name ?? "";
        var ports = ImmutableArray.CreateBuilder<ServicePortInfo>();
        foreach (var port in spec.Ports ?? [])
        {
            if (ProtocolOf(port.Protocol) is not { } protocol)
            {
                continue;
            }
            ports.Add(new ServicePortInfo(new ServicePortName(ns, name, port.Name ?? ""), clusterIP, port.Port,
                port.NodePort ?? 0, affinity, maxAge, protocol, internalLocal, externalAddresses));
        }
        return ports.ToImmutable();
    }

    /// <summary>
    /// Where a Service is reached from outside besides its NodePort: <c>spec.externalIPs</c> (any type, as kube-proxy
    /// serves them) and its load balancer's ingress addresses (<see cref="LoadBalancerIPs"/>), IPv4 only, without repeats.
    /// </summary>
    public static IReadOnlyList<IPAddress> ExternalAddresses(V1Service service)
    {
        var external = (service.Spec?.ExternalIPs ?? [])
            .Select(text => IPAddress.TryParse(text, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork ? ip : null)
            .OfType<IPAddress>();
        return [.. external.Concat(LoadBalancerIPs(service)).Distinct()];
    }

    /// <summary>
    /// The IPv4 addresses of <c>status.loadBalancer.ingress</c> of a LoadBalancer Service that traffic reaches as a VIP
    /// (<c>ipMode</c> unset or <c>VIP</c>; kube-proxy leaves <c>Proxy</c>-mode addresses to the load balancer).
    /// </summary>
    public static IReadOnlyList<IPAddress> LoadBalancerIPs(V1Service service)
    {
        if (!string.Equals(service.Spec?.Type, "LoadBalancer", StringComparison.Ordinal) || service.Status?.LoadBalancer?.Ingress is not { } ingress)
        {
            return [];
        }
        return [.. ingress
            .Where(i => i.IpMode is null or "VIP")
            .Select(i => IPAddress.TryParse(i.Ip, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork ? ip : null)
            .OfType<IPAddress>()];
    }

    /// <summary>The protocol of a Service or EndpointSlice port the proxy serves (unset means TCP), or null for SCTP.</summary>
    public static ProtocolType? ProtocolOf(string? protocol) => protocol switch
    {
        null or "" or "TCP" => ProtocolType.Tcp,
        "UDP" => ProtocolType.Udp,
        _ => null,
    };

    /// <summary>True for Services the proxy never listens for: headless, without a ClusterIP, or ExternalName.</summary>
    public static bool ShouldSkipService(V1ServiceSpec spec) =>
        string.IsNullOrEmpty(spec.ClusterIP) || string.Equals(spec.ClusterIP, "None", StringComparison.Ordinal)
        || string.Equals(spec.Type, "ExternalName", StringComparison.Ordinal);
}
