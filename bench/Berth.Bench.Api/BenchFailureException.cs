namespace Berth.Bench.Api;

/// <summary>The server answered something a benchmark did not expect; the run stops rather than report bad figures.</summary>
internal sealed class BenchFailureException(string message) : Exception(message);
