namespace Berth.Kubelet.Network.Dns;

/// <summary>What <see cref="DnsConfigurer.GetPodDns"/> computed, and the Warning events to record on the pod.</summary>
public sealed record DnsResult(PodDnsConfig Config, IReadOnlyList<DnsWarning> Warnings);
