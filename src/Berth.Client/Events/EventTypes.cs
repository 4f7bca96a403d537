namespace Berth.Client.Events;

/// <summary>The two event types the API accepts.</summary>
/// <remarks>Mirrors k8s.io/api core/v1 types.go (EventTypeNormal, EventTypeWarning).</remarks>
public static class EventTypes
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public static bool IsValid(string type) => type is Normal or Warning;
}
