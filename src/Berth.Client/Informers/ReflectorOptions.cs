namespace Berth.Client.Informers;

/// <summary>Timing of a <see cref="Reflector"/>. Defaults are client-go's.</summary>
public sealed record ReflectorOptions
{
    /// <summary>First wait after a failed list or watch (client-go: 800 ms).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Longest wait between failed attempts (client-go: 30 s).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each wait is stretched by a random fraction up to this (client-go: 1.0, i.e. up to double).</summary>
    public double BackoffJitter { get; init; } = 1.0;

    /// <summary>Watches ask the server to end them after a random time between this and twice this (client-go: 5 min).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A watch that ends sooner than this without any event counts as a failure (client-go: 1 s).</summary>
    public TimeSpan VeryShortWatch { get; init; } = TimeSpan.FromSeconds(1);
}
