using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;
using Microsoft.Extensions.Logging;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// Cluster IPs and node ports of Services, around the registry's writes: allocates on create (requested values
/// honoured or refused with 422), on a type change that starts needing them, and releases on delete or on a type
/// change that stops needing them. Its state is rebuilt from the stored Services before the first write
/// (<see cref="AllocatorRepair"/>), so the Service objects are the only record.
/// Mirrors kubernetes/kubernetes pkg/registry/core/service/storage/alloc.go (allocateCreate, allocateUpdate,
/// releaseForDelete) for single-stack IPv4.
/// </summary>
/// <remarks>Thread-safe: the allocators are atomic and each request has its own <see cref="AllocationTransaction"/>.</remarks>
public sealed partial class ServiceAllocator
{
    private readonly RebuildOnce _rebuild;

    public ServiceAllocator(ServiceAllocatorOptions options, ILogger<ServiceAllocator> logger, Func<int, int>? random = null)
    {
        _rebuild = new RebuildOnce(services => new AllocatorRepair(this, logger).Rebuild(services));
        var range = ServiceIPRange.Parse(options.ServiceClusterIPRange);
        IPAddress[] reserved = [range.At(0), .. IPAddress.TryParse(options.ClusterDnsIp, out var dns) ? [dns] : Array.Empty<IPAddress>()];
        IPs = new ClusterIPAllocator(range, reserved, random);
        NodePorts = new NodePortAllocator(PortRange.Parse(options.ServiceNodePortRange), random);
    }

    public ClusterIPAllocator IPs { get; }

    public NodePortAllocator NodePorts { get; }

    /// <summary>Rebuilds the allocators from the stored Services, once; concurrent callers wait for the first.</summary>
    public Task EnsureInitializedAsync(Func<CancellationToken, Task<IReadOnlyList<JsonObject>>> listStored, CancellationToken cancellationToken) =>
        _rebuild.EnsureAsync(listStored, cancellationToken);

    /// <summary>Allocates what a new Service needs and writes it into <paramref name="svc"/>; throws 422 when a requested value is refused.</summary>
    internal AllocationTransaction AllocateCreate(JsonObject svc, bool dryRun)
    {
        var tx = new AllocationTransaction(IPs, NodePorts);
        try
        {
            var spec = JsonFields.Child(svc, "spec");
            if (NeedsClusterIP(spec))
            {
                AllocateClusterIP(svc, spec, tx, dryRun);
            }
            if (NeedsNodePorts(spec))
            {
                AllocateNodePorts(svc, spec, null, tx, dryRun);
            }
            return tx;
        }
        catch
        {
            tx.Finish(false);
            throw;
        }
    }

    /// <summary>Allocates what an updated Service newly needs; what it no longer needs is released on commit.</summary>
    internal AllocationTransaction AllocateUpdate(JsonObject svc, JsonObject oldSvc, bool dryRun)
    {
        var tx = new AllocationTransaction(IPs, NodePorts);
        try
        {
            var spec = JsonFields.Child(svc, "spec");
            var oldSpec = oldSvc["spec"] as JsonObject ?? [];
            var oldIPs = ClusterIPs(oldSpec);
            if (NeedsClusterIP(spec) && oldIPs.Count == 0)
            {
                AllocateClusterIP(svc, spec, tx, dryRun);
            }
            else if (!NeedsClusterIP(spec))
            {
                oldIPs.ForEach(tx.ReleaseOnCommit);
            }
            var oldPorts = NeedsNodePorts(oldSpec) ? NodePortsOf(oldSpec) : [];
            if (NeedsNodePorts(spec))
            {
                AllocateNodePorts(svc, spec, oldPorts, tx, dryRun);
            }
            foreach (var port in oldPorts.Except(NeedsNodePorts(spec) ? NodePortsOf(spec) : []))
            {
                tx.ReleaseOnCommit(port);
            }
            return tx;
        }
        catch
        {
            tx.Finish(false);
            throw;
        }
    }

    /// <summary>Releases everything a deleted Service held.</summary>
    public void ReleaseForDelete(JsonObject svc)
    {
        var spec = svc["spec"] as JsonObject ?? [];
        ClusterIPs(spec).ForEach(IPs.Release);
        foreach (var port in NodePortsOf(spec))
        {
            NodePorts.Release(port);
        }
    }

    /// <summary>ClusterIP, NodePort and LoadBalancer Services get an IP unless headless (<c>None</c>).</summary>
    internal static bool NeedsClusterIP(JsonObject spec) =>
        JsonFields.AsString(spec["type"]) != "ExternalName" && JsonFields.AsString(spec["clusterIP"]) != "None";

    /// <summary>NodePort Services, and LoadBalancer ones unless <c>allocateLoadBalancerNodePorts</c> is false.</summary>
    internal static bool NeedsNodePorts(JsonObject spec) =>
        JsonFields.AsString(spec["type"]) switch
        {
            "NodePort" => true,
            "LoadBalancer" => JsonFields.AsBool(spec["allocateLoadBalancerNodePorts"]) != false,
            _ => false,
        };

    /// <summary>The valid cluster IPs recorded in a spec (not <c>None</c>).</summary>
    internal static List<IPAddress> ClusterIPs(JsonObject spec) =>
        [.. ClusterIPTexts(spec).Select(t => IPAddress.TryParse(t, out var ip) ? ip : null).OfType<IPAddress>()];

    /// <summary><c>spec.clusterIPs</c> as written, or <c>spec.clusterIP</c> alone when the list is empty.</summary>
    private static List<string> ClusterIPTexts(JsonObject spec)
    {
        var texts = (spec["clusterIPs"] as JsonArray)?.Select(n => JsonFields.AsString(n) ?? "").ToList() ?? [];
        if (texts.Count == 0 && JsonFields.AsString(spec["clusterIP"]) is { } single)
        {
            texts.Add(single);
        }
        return texts;
    }

    /// <summary>The distinct non-zero node ports of a spec.</summary>
    internal static HashSet<int> NodePortsOf(JsonObject spec) =>
        [.. JsonFields.Objects(spec["ports"] as JsonArray).Select(p => (int)(JsonFields.AsLong(p.Item["nodePort"]) ?? 0)).Where(p => p != 0)];

    private void AllocateClusterIP(JsonObject svc, JsonObject spec, AllocationTransaction tx, bool dryRun)
    {
        var requested = ClusterIPs(spec) is [var first, ..] ? first : null;
        IPAddress ip;
        try
        {
            if (requested is null)
            {
                ip = IPs.AllocateNext(dryRun);
            }
            else
            {
                IPs.Allocate(requested, dryRun);
                ip = requested;
            }
        }
        catch (AllocationException e) when (requested is null)
        {
            throw ApiErrors.Internal($"failed to allocate a serviceIP: {e.Message}");
        }
        catch (AllocationException e)
        {
            throw ApiErrors.Invalid(KindRegistry.Services, svc.GetName() ?? "",
                [new FieldError(CauseType.FieldValueInvalid, "spec.clusterIPs", $"failed to allocate IP {requested}: {e.Message}",
                    GoValueRenderer.StringSlice(ClusterIPTexts(spec)))]);
        }
        if (!dryRun)
        {
            tx.AllocatedIP(ip);
        }
        spec["clusterIP"] = ip.ToString();
        spec["clusterIPs"] = new JsonArray(ip.ToString());
        spec["ipFamilies"] = new JsonArray("IPv4");
        JsonFields.SetDefaultString(spec, "ipFamilyPolicy", "SingleStack");
    }
}
