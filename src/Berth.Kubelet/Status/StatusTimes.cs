namespace Berth.Kubelet.Status;

/// <summary>
/// API timestamps have whole-second precision (metav1.Time marshals RFC 3339 seconds), so the agent truncates every
/// time it puts into a status; otherwise a status read back from the API would never equal the generated one.
/// </summary>
public static class StatusTimes
{
    public static DateTime Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public static DateTime? Truncate(DateTimeOffset? time) => time is { } t ? Truncate(t) : null;
}
