using System.Text.Json.Nodes;
using Berth.Controllers.Deployment;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.DaemonSet;

public sealed partial class DaemonSetController
{
    /// <summary>
    /// The current revision (carrying the hash label) and the older ones. This slice derives the hash from the
    /// template and stores no ControllerRevisions yet, so there are no old ones.
    /// </summary>
    private Task<(JsonObject Current, IReadOnlyList<JsonObject> Old)> ConstructHistoryAsync(JsonObject ds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hash = PodTemplateHash.Compute(ds.GetObject("spec", "template"), ds.GetLong("status", "collisionCount"));
        var current = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [DaemonSetUtil.ControllerRevisionHashLabel] = hash } } };
        return Task.FromResult<(JsonObject, IReadOnlyList<JsonObject>)>((current, []));
    }

    /// <summary>Deletes old revisions beyond revisionHistoryLimit that no pod uses; with no stored revisions there is nothing to delete.</summary>
    private Task CleanupHistoryAsync(JsonObject ds, IReadOnlyList<JsonObject> old, CancellationToken cancellationToken) => Task.CompletedTask;
}
