using System.Collections.Immutable;
using System.Net;
using Berth.Proxy.Model;
using k8s.Models;

namespace Berth.Proxy.Tracking;

/// <summary>
/// The EndpointSlices of every Service, and their merge into endpoints per service port. Only IPv4 slices count;
/// an endpoint's address is its first address; an endpoint listed by two slices is kept once, its ready copy
/// preferred. Not thread-safe: <see cref="EndpointsChangeTracker"/> guards it.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/endpointslicecache.go (EndpointSliceCache).</remarks>
public sealed class EndpointSliceCache
{
    /// <summary>The label that ties a slice to its Service.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    private readonly Dictionary<ServiceKey, SortedDictionary<string, V1EndpointSlice>> _slices = [];

    /// <summary>The Service a slice belongs to, or null when it has no <see cref="ServiceNameLabel"/>.</summary>
    public static ServiceKey? ServiceKeyOf(V1EndpointSlice slice)
    {
        var labels = slice.Metadata?.Labels;
        return labels is not null && labels.TryGetValue(ServiceNameLabel, out var service) && !string.IsNullOrEmpty(service)
            ? new ServiceKey(slice.Metadata!.NamespaceProperty ?? "default", service)
            : null;
    }

    /// <summary>Stores or removes a slice under <paramref name="key"/>.</summary>
    public void Update(ServiceKey key, V1EndpointSlice slice, bool removed)
    {
        var name = slice.Metadata?.Name ?? "";
        if (!_slices.TryGetValue(key, out var slices))
        {
            if (removed)
            {
                return;
            }
            _slices[key] = slices = new SortedDictionary<string, V1EndpointSlice>(StringComparer.Ordinal);
        }
        if (removed)
        {
            slices.Remove(name);
            if (slices.Count == 0)
            {
                _slices.Remove(key);
            }
        }
        else
        {
            slices[name] = slice;
        }
    }

    /// <summary>The endpoints of each port (by port name) of the Service <paramref name="key"/>.</summary>
    public Dictionary<string, ImmutableArray<EndpointInfo>> EndpointsFor(ServiceKey key)
    {
        var byPort = new Dictionary<string, Dictionary<IPEndPoint, EndpointInfo>>(StringComparer.Ordinal);
        if (_slices.TryGetValue(key, out var slices))
        {
            foreach (var slice in slices.Values)
            {
                AddSlice(slice, byPort);
            }
        }
        return byPort.ToDictionary(p => p.Key, p => p.Value.Values.ToImmutableArray(), StringComparer.Ordinal);
    }

    private static void AddSlice(V1EndpointSlice slice, Dictionary<string, Dictionary<IPEndPoint, EndpointInfo>> byPort)
    {
        if (!string.Equals(slice.AddressType, "IPv4", StringComparison.Ordinal))
        {
            return;
        }
        foreach (var port in slice.Ports ?? [])
        {
            if (port.Port is not { } number || ServicePorts.ProtocolOf(port.Protocol) is null)
            {
                continue;
            }
            var name = port.Name ?? "";
            if (!byPort.TryGetValue(name, out var endpoints))
            {
                byPort[name] = endpoints = [];
            }
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (ToEndpointInfo(endpoint, number) is { } info
                    && (!endpoints.TryGetValue(info.Address, out var existing) || (info.Ready && !existing.Ready)))
                {
                    endpoints[info.Address] = info;
                }
            }
        }
    }

    private static EndpointInfo? ToEndpointInfo(V1Endpoint endpoint, int port)
    {
        if (endpoint.Addresses is not { Count: > 0 } addresses || !IPAddress.TryParse(addresses[0], out var ip))
        {
            return null;
        }
        var conditions = endpoint.Conditions;
        return new EndpointInfo(new IPEndPoint(ip, port),
            Ready: conditions?.Ready ?? true,
            Serving: conditions?.Serving ?? true,
            Terminating: conditions?.Terminating ?? false,
            NodeName: endpoint.NodeName);
    }
}
