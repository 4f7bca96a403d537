using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Storage;

namespace Berth.Registry.Generic;

/// <summary>
/// Turns store events into API watch events for one watcher's selectors: an object that stops matching is reported
/// as DELETED (its previous content at the event's resourceVersion), one that starts matching as ADDED.
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/storage/cacher/cache_watcher.go (convertToWatchEvent).
/// </summary>
internal static class WatchEvents
{
    /// <summary>The API event for <paramref name="e"/>, or null when this watcher is not interested.</summary>
    public static ApiWatchEvent? Convert(StoreEvent e, ListPredicate predicate, ResourceKind kind)
    {
        if (!predicate.MayMatchKey(kind, e.Object.Key))
        {
            return null;
        }
        var current = e.Object.ToJsonObject();
        var currentPasses = predicate.MatchesEverything || predicate.Matches(current);
        switch (e.Type)
        {
            case StoreEventType.Added:
                return currentPasses ? new ApiWatchEvent(ApiWatchEventType.Added, current) { Utf8 = e.Object.Value } : null;
            case StoreEventType.Deleted:
                return currentPasses ? new ApiWatchEvent(ApiWatchEventType.Deleted, current) { Utf8 = e.Object.Value } : null;
        }
        if (predicate.MatchesEverything)
        {
            return new ApiWatchEvent(ApiWatchEventType.Modified, current) { Utf8 = e.Object.Value };
        }
        var previous = e.PreviousObject?.ToJsonObject();
        var previousPasses = previous is not null && predicate.Matches(previous);
        return (currentPasses, previousPasses) switch
        {
            (true, false) => new ApiWatchEvent(ApiWatchEventType.Added, current) { Utf8 = e.Object.Value },
            (true, true) => new ApiWatchEvent(ApiWatchEventType.Modified, current) { Utf8 = e.Object.Value },
            (false, true) => new ApiWatchEvent(ApiWatchEventType.Deleted, WithResourceVersion(previous!, e.Object.Revision)),
            _ => null,
        };
    }

    /// <summary>A BOOKMARK: only apiVersion, kind and metadata.resourceVersion.</summary>
    public static ApiWatchEvent Bookmark(ResourceKind kind, long revision) =>
        new(ApiWatchEventType.Bookmark, new JsonObject
        {
            ["kind"] = kind.Kind,
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

    /// <summary>An ERROR event carrying <paramref name="error"/> as a Status.</summary>
    public static ApiWatchEvent Error(ApiException error) =>
        new(ApiWatchEventType.Error, StatusJson.FromException(error));

    private static JsonObject WithResourceVersion(JsonObject obj, long revision)
    {
        obj.SetResourceVersion(revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return obj;
    }
}
