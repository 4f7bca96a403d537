namespace Berth.Client.Events;

/// <summary>Queueing and retry limits of an <see cref="EventBroadcaster"/>. Defaults are client-go's.</summary>
/// <remarks>Mirrors k8s.io/client-go tools/record/event.go (maxQueuedEvents, maxTriesPerEvent, defaultSleepDuration).</remarks>
public sealed record EventBroadcasterOptions
{
    /// <summary>Events waiting to be written; beyond this new ones are dropped.</summary>
    public int QueueCapacity { get; init; } = 1000;

    /// <summary>Write attempts per event before it is given up.</summary>
    public int MaxTries { get; init; } = 12;

    /// <summary>Wait between attempts; the first wait is a random part of it so that recorders do not retry in step.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Events about different objects written at once (Berth's choice; client-go writes one at a time). Events about
    /// one object are always written in order. 1 restores one-at-a-time writing.
    /// </summary>
    public int MaxConcurrentWrites { get; init; } = 4;

    public CorrelatorOptions Correlator { get; init; } = new();
}
