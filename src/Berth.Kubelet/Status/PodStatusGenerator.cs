using Berth.Kubelet.Container;
using Berth.Kubelet.Prober;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// Computes the API status of a pod from its spec, the runtime snapshot, the probe results and the previous status
/// (the status manager's cached one, else the API's): container statuses, phase (never leaving a terminal phase,
/// keeping reason/message while the phase is unchanged), conditions (kubelet-owned ones regenerated, others
/// preserved), IPs, hostIP, QoS class. Transition times and startTime are settled later by the
/// <see cref="StatusManager"/>. Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (generateAPIPodStatus,
/// convertStatusToAPIStatus).
/// </summary>
/// <remarks>Pure apart from the probe manager's readiness trigger; thread-safe.</remarks>
public sealed class PodStatusGenerator(ProbeManager probes, ReasonCache reasons)
{
    public V1PodStatus Generate(V1Pod pod, PodRuntimeStatus runtime, V1PodStatus? cached, PodSandboxInfo sandbox,
        string hostIP, bool podIsTerminal)
    {
        var apiStatus = pod.Status ?? new V1PodStatus();
        var old = cached ?? apiStatus;
        var s = new V1PodStatus
        {
            QosClass = PodQos.GetPodQos(pod),
            ContainerStatuses = ContainerStatusConverter.Convert(pod, runtime, old.ContainerStatuses, PodSpecs.Containers(pod), false, reasons),
            // Absent, not empty, without init containers: upstream's omitempty drops the empty list (-o yaml, jq).
            InitContainerStatuses = PodSpecs.InitContainers(pod) is { Count: > 0 } init
                ? ContainerStatusConverter.Convert(pod, runtime, old.InitContainerStatuses, init, true, reasons)
                : null,
            HostIP = hostIP,
            HostIPs = [new V1HostIP { Ip = hostIP }],
            StartTime = old.StartTime,
        };
        var ephemeral = PodSpecs.EphemeralContainers(pod);
        if (ephemeral.Count > 0)
        {
            s.EphemeralContainerStatuses = ContainerStatusConverter.Convert(pod, runtime, old.EphemeralContainerStatuses, ephemeral, false, reasons);
        }

        SetPodIPs(s, sandbox, old);
        var all = s.ContainerStatuses.Concat(s.InitContainerStatuses ?? []).ToList();
        var hasInitialized = runtime.Containers.Any(c => c.StartedAt is not null && PodSpecs.Containers(pod).Any(m => m.Name == c.ContainerName));
        s.Phase = ResolvePhase(PodPhases.GetPhase(pod, all, podIsTerminal, hasInitialized), old.Phase, apiStatus.Phase);
        if (s.Phase == old.Phase)
        {
            s.Reason = string.IsNullOrEmpty(old.Reason) ? apiStatus.Reason : old.Reason;
            s.Message = string.IsNullOrEmpty(old.Message) ? apiStatus.Message : old.Message;
        }

        probes.UpdatePodStatus(pod, s);
        s.Conditions = GenerateConditions(pod, s, old, apiStatus, sandbox.Ready);
        return s;
    }

    // Phases never leave a terminal value: the API's terminal phase wins, then the cached one (so a node-shutdown
    // Failed is not turned into Succeeded by a later generation), then the computed one.
    private static string ResolvePhase(string phase, string? oldPhase, string? apiPhase)
    {
        if (PodSpecs.IsTerminalPhase(apiPhase))
        {
            return apiPhase!;
        }

        return PodSpecs.IsTerminalPhase(oldPhase) ? oldPhase! : phase;
    }

    private static void SetPodIPs(V1PodStatus s, PodSandboxInfo sandbox, V1PodStatus old)
    {
        if (sandbox.PodIPs.Count > 0)
        {
            s.PodIPs = [.. sandbox.PodIPs.Select(ip => new V1PodIP { Ip = ip })];
            s.PodIP = sandbox.PodIPs[0];
        }
        else if (!string.IsNullOrEmpty(old.PodIP))
        {
            s.PodIP = old.PodIP;
            s.PodIPs = old.PodIPs is { Count: > 0 } ips ? [.. ips.Select(ip => new V1PodIP { Ip = ip.Ip })] : [new V1PodIP { Ip = old.PodIP }];
        }
    }

    private static List<V1PodCondition> GenerateConditions(V1Pod pod, V1PodStatus s, V1PodStatus old, V1PodStatus apiStatus, bool sandboxReady)
    {
        var conditions = (apiStatus.Conditions ?? [])
            .Where(c => !PodConditions.IsOwnedByKubelet(c.Type) && c.Type != PodConditions.DisruptionTarget)
            .ToList();
        if (old.Conditions?.FirstOrDefault(c => c.Type == PodConditions.DisruptionTarget) is { } disruption)
        {
            conditions.Add(disruption);
        }

        var all = (s.InitContainerStatuses ?? []).Concat(s.ContainerStatuses).ToList();
        conditions.Add(PodConditions.Condition(PodConditions.PodReadyToStartContainers, sandboxReady));
        conditions.Add(PodConditions.GenerateInitialized(pod, all, s.Phase));
        conditions.Add(PodConditions.GenerateReady(pod, conditions, all, s.Phase));
        conditions.Add(PodConditions.GenerateContainersReady(pod, all, s.Phase));
        conditions.Add(PodConditions.Condition(PodConditions.PodScheduled, true));
        return conditions;
    }
}
