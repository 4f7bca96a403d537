using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.Util;

/// <summary>
/// Read-modify-write of one object against the live API: GET, let the caller mutate the copy, PUT with the read
/// resourceVersion as precondition, and start over on 409 Conflict (a few times). Used where upstream sends a
/// patch whose merge semantics our callers would otherwise have to spell out (owner references, finalizers).
/// </summary>
public static class ObjectUpdater
{
    private const int Attempts = 5;

    /// <summary>
    /// Applies <paramref name="mutate"/> (returns false when nothing needs to change) and writes the result.
    /// Returns the written object, null when nothing changed, and throws NotFound when the object is gone.
    /// When <paramref name="uid"/> is set, an object of the same name with another UID counts as gone.
    /// </summary>
    public static async Task<JsonObject?> UpdateAsync(IApiClient client, ResourceKind kind, string? ns, string name, string? uid,
        Func<JsonObject, bool> mutate, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var live = await client.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
            if (uid is not null && live.GetUid() != uid)
            {
                throw ApiErrors.NotFound(kind, name);
            }
            if (!mutate(live))
            {
                return null;
            }
            try
            {
                return await client.UpdateAsync(kind, ns, live, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 409 && attempt < Attempts)
            {
                // Someone wrote in between: read again.
            }
        }
    }
}
