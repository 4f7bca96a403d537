namespace Berth.Bench.Api;

/// <summary>
/// One measured write phase: <paramref name="Ops"/> completed at <paramref name="Rate"/> per second, costing the server
/// <paramref name="CpuMsPerOp"/> of CPU time each.
/// </summary>
internal sealed record WriteRow(string Store, string Protocol, int Clients, string Operation, int Ops, double Rate, Latencies Latencies, double CpuMsPerOp);
