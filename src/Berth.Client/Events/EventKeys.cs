namespace Berth.Client.Events;

/// <summary>The keys that decide which events are "the same", "similar" or "about the same object".</summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/events_cache.go (getEventKey, getSpamKey, EventAggregatorByReasonFunc).</remarks>
internal static class EventKeys
{
    /// <summary>Identical events: same source, involved object (with field path), type, reason and message.</summary>
    public static string EventKey(EventRecord e) => string.Join('\0',
        e.Source.Component, e.Source.Host, e.InvolvedObject.Kind, e.InvolvedObject.Namespace, e.InvolvedObject.Name,
        e.InvolvedObject.FieldPath, e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type, e.Reason, e.Message);

    /// <summary>Spam budget: one per source and involved object.</summary>
    public static string SpamKey(EventRecord e) => string.Join('\0',
        e.Source.Component, e.Source.Host, e.InvolvedObject.Kind, e.InvolvedObject.Namespace, e.InvolvedObject.Name,
        e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion);

    /// <summary>Similar events: everything of the event key but the message and field path; the message is the local key.</summary>
    public static (string AggregateKey, string LocalKey) AggregateKeys(EventRecord e) => (string.Join('\0',
        e.Source.Component, e.Source.Host, e.InvolvedObject.Kind, e.InvolvedObject.Namespace, e.InvolvedObject.Name,
        e.InvolvedObject.Uid, e.InvolvedObject.ApiVersion, e.Type, e.Reason, e.Source.Component, e.Source.Host), e.Message);
}
