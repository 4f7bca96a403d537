namespace Berth.IntegrationTests.Termination;

/// <summary>
/// Timing tolerances of the real-process termination tests, sized for a loaded 2-core CI machine: the stop signal and
/// SIGKILL come from timers in the node agent, observed through the runtime's exit record (millisecond precision).
/// </summary>
internal static class Tolerances
{
    /// <summary>|actual − expected| for the stop signal and SIGKILL instants.</summary>
    public const double Signal = 0.3;

    /// <summary>Latest acceptable "immediate" reaction (SIGTERM after a DELETE without preStop, stop after a failed hook).</summary>
    public const double Immediate = 0.5;

    public static void At(double expectedSeconds, DateTimeOffset start, DateTimeOffset actual, string what)
    {
        var seconds = (actual - start).TotalSeconds;
        Assert.True(Math.Abs(seconds - expectedSeconds) <= Signal,
            $"{what} at {seconds:0.000}s, expected {expectedSeconds:0.0}s ± {Signal}s");
    }

    public static void Soon(DateTimeOffset start, DateTimeOffset actual, string what)
    {
        var seconds = (actual - start).TotalSeconds;
        Assert.True(seconds is >= -0.05 and <= Immediate, $"{what} at {seconds:0.000}s, expected within {Immediate}s");
    }
}
