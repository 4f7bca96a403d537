using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Microsoft.Extensions.Logging;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// Rebuilds the allocators from the stored Services: every cluster IP and node port in use is marked allocated.
/// A value held by two Services, or outside the configured range (the range changed), is logged and left to the
/// operator, as upstream's repair loop reports it. Runs once, before the first Service write.
/// Mirrors kubernetes/kubernetes pkg/registry/core/service/ipallocator/controller/repair.go and
/// portallocator/controller/repair.go (runOnce).
/// </summary>
internal sealed partial class AllocatorRepair(ServiceAllocator allocator, ILogger logger)
{
    /// <summary>Marks what <paramref name="services"/> hold. Call on empty allocators only.</summary>
    public void Rebuild(IReadOnlyList<JsonObject> services)
    {
        int ips = 0, ports = 0;
        foreach (var svc in services)
        {
            if (svc["spec"] is not JsonObject spec)
            {
                continue;
            }
            var name = $"{svc.GetNamespace()}/{svc.GetName()}";
            if (ServiceAllocator.NeedsClusterIP(spec))
            {
                ips += RepairClusterIPs(spec, name);
            }
            if (ServiceAllocator.NeedsNodePorts(spec))
            {
                ports += RepairNodePorts(spec, name);
            }
        }
        Log.Rebuilt(logger, services.Count, ips, ports);
    }

    private int RepairClusterIPs(JsonObject spec, string service)
    {
        var marked = 0;
        foreach (var ip in ServiceAllocator.ClusterIPs(spec))
        {
            try
            {
                allocator.IPs.Allocate(ip);
                marked++;
            }
            catch (AllocationException e)
            {
                Log.ClusterIPNotRepaired(logger, ip.ToString(), service, e.Message);
            }
        }
        return marked;
    }

    private int RepairNodePorts(JsonObject spec, string service)
    {
        var marked = 0;
        foreach (var port in ServiceAllocator.NodePortsOf(spec))
        {
            try
            {
                allocator.NodePorts.Allocate(port);
                marked++;
            }
            catch (AllocationException e)
            {
                Log.NodePortNotRepaired(logger, port, service, e.Message);
            }
        }
        return marked;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3600, Level = LogLevel.Information, Message = "Service allocators rebuilt from {Services} services: {ClusterIPs} cluster IPs, {NodePorts} node ports in use")]
        public static partial void Rebuilt(ILogger logger, int services, int clusterIPs, int nodePorts);

        [LoggerMessage(EventId = 3601, Level = LogLevel.Warning, Message = "Cluster IP {ClusterIP} of service {Service} not repaired ({Reason}); please recreate the service")]
        public static partial void ClusterIPNotRepaired(ILogger logger, string clusterIP, string service, string reason);

        [LoggerMessage(EventId = 3602, Level = LogLevel.Warning, Message = "Node port {NodePort} of service {Service} not repaired ({Reason}); please recreate the service")]
        public static partial void NodePortNotRepaired(ILogger logger, int nodePort, string service, string reason);
    }
}
