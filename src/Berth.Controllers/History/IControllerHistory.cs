using System.Text.Json.Nodes;
using Berth.Machinery.Selectors;

namespace Berth.Controllers.History;

/// <summary>
/// Reads and writes the ControllerRevisions of parent workloads. Reads come from an informer cache (read-only
/// objects); writes go to the API. Implementations are thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controller/history/controller_history.go (Interface).</remarks>
public interface IControllerHistory
{
    /// <summary>
    /// The cached revisions in the parent's namespace that match <paramref name="selector"/> and are either controlled
    /// by <paramref name="parent"/> (same UID) or have no controller at all (orphans the caller may adopt).
    /// </summary>
    IReadOnlyList<JsonObject> ListControllerRevisions(JsonObject parent, LabelSelector selector);

    /// <summary>
    /// Creates <paramref name="revision"/> named <c>&lt;parent&gt;-&lt;hash&gt;</c>. When that name is taken by a revision
    /// with equal data, returns the existing one; when taken by different data (a hash collision), bumps the collision
    /// count and tries the next name. Returns the stored revision and the collision count it was named with, which the
    /// caller must persist (e.g. in <c>status.collisionCount</c>). Other API errors propagate.
    /// </summary>
    Task<CreatedRevision> CreateControllerRevisionAsync(JsonObject parent, JsonObject revision, long collisionCount,
        CancellationToken cancellationToken);

    /// <summary>Sets the <c>revision</c> number of a stored revision (retrying on conflict); returns the written object.</summary>
    Task<JsonObject> UpdateControllerRevisionAsync(JsonObject revision, long newRevision, CancellationToken cancellationToken);

    /// <summary>Deletes a revision (guarded by its UID); an already-deleted revision counts as done.</summary>
    Task DeleteControllerRevisionAsync(JsonObject revision, CancellationToken cancellationToken);
}

/// <summary>The revision <see cref="IControllerHistory.CreateControllerRevisionAsync"/> stored or found, and the collision count used.</summary>
public sealed record CreatedRevision(JsonObject Revision, long CollisionCount);
