namespace Berth.Bench.Api;

/// <summary>LIST latency of <paramref name="Pods"/> pods in one format; <paramref name="Bytes"/> is the response size.</summary>
internal sealed record ListRow(string Store, int Pods, string Scope, string Format, int Bytes, Latencies Latencies, double CpuMsPerList);
