using System.Text.Json.Nodes;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// The writes one sync needs: slices to create (generateName set), to update (copies of cached slices, resourceVersion
/// kept as the precondition) and to delete. Applied in that order, so a Service never has fewer endpoints mid-way.
/// </summary>
internal sealed record SlicePlan(IReadOnlyList<JsonObject> ToCreate, IReadOnlyList<JsonObject> ToUpdate, IReadOnlyList<JsonObject> ToDelete)
{
    public bool IsEmpty => ToCreate.Count == 0 && ToUpdate.Count == 0 && ToDelete.Count == 0;
}
