namespace Berth.Bench.Api;

/// <summary>What the read suite measured on one store.</summary>
internal sealed record ReadResult(
    string Store,
    ProcessMemory Idle,
    ProcessMemory Stored,
    ProcessMemory AfterLists,
    IReadOnlyList<(string Protocol, Latencies Latencies, double CpuMs)> Gets,
    IReadOnlyList<ListRow> Lists,
    StartupProbe.Timing? Restart);
