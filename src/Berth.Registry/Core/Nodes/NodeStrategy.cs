using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;

namespace Berth.Registry.Core.Nodes;

/// <summary>
/// Nodes: unlike other kinds, a create may carry status (the node agent registers with its status); updates of
/// the main resource keep the old status; <c>spec.unschedulable</c> is a field selector. Stateless and
/// thread-safe. Mirrors kubernetes/kubernetes pkg/registry/core/node/strategy.go.
/// </summary>
internal sealed class NodeStrategy() : ResourceStrategy(KindRegistry.Nodes)
{
    /// <summary>Status is kept: upstream nodeStrategy allows all fields, including status, on create.</summary>
    public override void PrepareForCreate(JsonObject obj)
    {
    }

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "spec.unschedulable" => obj.GetBool("spec", "unschedulable") == true ? "true" : "false",
        _ => base.GetSelectableField(obj, field),
    };
}
