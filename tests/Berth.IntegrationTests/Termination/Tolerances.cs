namespace Berth.IntegrationTests.Termination;

/// <summary>
/// Timing tolerances of the real-process termination tests, sized for a loaded 2-core CI machine: the stop signal and
/// SIGKILL come from timers in the node agent, observed through the runtime's exit record (millisecond precision).
/// </summary>
internal static class Tolerances
{
    /// <summary>|actual − expected| for the stop signal and SIGKILL instants.</summary>
    public const double Signal = 0.3;

    /// <summary>
    /// Latest acceptable "immediate" reaction (SIGTERM after a DELETE without preStop, stop after a failed hook), as the
    /// container program records it: the spec's "+1 s for event plumbing" (kubernetes-termination.md §9), because on a
    /// loaded machine the recorder process itself may wait for a core before it writes the line.
    /// </summary>
    public const double Immediate = 1.0;

    public static void At(double expectedSeconds, DateTimeOffset start, DateTimeOffset actual, string what)
    {
        var seconds = (actual - start).TotalSeconds;
        Assert.True(Math.Abs(seconds - expectedSeconds) <= Signal,
            $"{what} at {seconds:0.000}s, expected {expectedSeconds:0.0}s ± {Signal}s");
    }

    /// <summary>Asserts <paramref name="actual"/> follows <paramref name="previous"/> (same clock) by at most <see cref="Signal"/>.</summary>
    public static void After(DateTimeOffset previous, DateTimeOffset actual, string what)
    {
        var seconds = (actual - previous).TotalSeconds;
        Assert.True(seconds is >= -0.02 and <= Signal, $"{what}: {seconds:0.000}s after, expected 0–{Signal}s");
    }

    /// <summary>Latest start of a hook process (spawned by the agent, then its own shell and date) after the DELETE.</summary>
    public const double HookSpawn = 1.0;

    public static void Soon(DateTimeOffset start, DateTimeOffset actual, string what, double within = Immediate)
    {
        var seconds = (actual - start).TotalSeconds;
        Assert.True(seconds is >= -0.05 && seconds <= within, $"{what} at {seconds:0.000}s, expected within {within}s");
    }
}
