using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Services.Allocation;

public sealed partial class ServiceAllocator
{
    /// <summary>
    /// Gives every port of <paramref name="spec"/> a node port: a requested one that <paramref name="held"/> (the old
    /// object's) does not already own is allocated; a missing one reuses the node port of another protocol on the same
    /// port number, else a new one. Mirrors alloc.go initNodePorts/updateNodePorts.
    /// </summary>
    private void AllocateNodePorts(JsonObject svc, JsonObject spec, HashSet<int>? held, AllocationTransaction tx, bool dryRun)
    {
        var taken = new HashSet<int>(held ?? []);
        var byPortNumber = new Dictionary<long, int>();
        foreach (var (i, port) in JsonFields.Objects(spec["ports"] as JsonArray))
        {
            var number = JsonFields.AsLong(port["port"]) ?? 0;
            var nodePort = (int)(JsonFields.AsLong(port["nodePort"]) ?? 0);
            if (nodePort == 0 && byPortNumber.TryGetValue(number, out var shared))
            {
                port["nodePort"] = (long)shared;
                continue;
            }
            if (nodePort != 0 && !taken.Add(nodePort))
            {
                byPortNumber.TryAdd(number, nodePort);
                continue;
            }
            nodePort = AllocateNodePort(svc, i, nodePort, tx, dryRun);
            taken.Add(nodePort);
            port["nodePort"] = (long)nodePort;
            byPortNumber.TryAdd(number, nodePort);
        }
    }

    private int AllocateNodePort(JsonObject svc, int index, int requested, AllocationTransaction tx, bool dryRun)
    {
        int nodePort;
        try
        {
            if (requested == 0)
            {
                nodePort = NodePorts.AllocateNext(dryRun);
            }
            else
            {
                NodePorts.Allocate(requested, dryRun);
                nodePort = requested;
            }
        }
        catch (AllocationException e) when (requested == 0)
        {
            throw ApiErrors.Internal($"failed to allocate a nodePort: {e.Message}");
        }
        catch (AllocationException e)
        {
            throw ApiErrors.Invalid(KindRegistry.Services, svc.GetName() ?? "",
                [FieldError.Invalid(FieldPath.Child(FieldPath.Index("spec.ports", index), "nodePort"), requested, e.Message)]);
        }
        if (!dryRun)
        {
            tx.AllocatedPort(nodePort);
        }
        return nodePort;
    }
}
