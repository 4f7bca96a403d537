using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Prober;

/// <summary>A change of a cached result, delivered to <see cref="ProbeResultsManager.Updated"/> subscribers.</summary>
public sealed record ProbeResultUpdate(ContainerId ContainerId, string PodUid, ProbeResult Result);
