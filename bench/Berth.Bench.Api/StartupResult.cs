namespace Berth.Bench.Api;

/// <summary>
/// What the start-up suite measured on one store: the median fresh start, the resident memory of an idle fresh server
/// (start + 5 s), and, on SQLite when the read suite did not run, the median restart over 3,000 stored pods.
/// </summary>
internal sealed record StartupResult(string Store, StartupProbe.Timing Fresh, int Starts, ProcessMemory Idle, StartupProbe.Timing? Restart);
