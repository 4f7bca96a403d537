namespace Berth.Kubelet.KubeRuntime.Env;

/// <summary>What the node offers, used for unset limits in <c>resourceFieldRef</c>s (cores, bytes, bytes).</summary>
public sealed record NodeAllocatable(double Cpu, long Memory, long EphemeralStorage);
