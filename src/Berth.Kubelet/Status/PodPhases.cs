using Berth.Kubelet.Container;
using k8s.Models;

namespace Berth.Kubelet.Status;

/// <summary>
/// The pod phase from its container statuses. Pending while a regular init container has not finished (or a sidecar
/// has not started before the pod initialized) or a main container waits to start; Running while something runs;
/// with everything stopped: terminal (Succeeded only if every main container exited 0) when
/// <c>podIsTerminal</c> or the restart policy forbids restarts, else Running (restarting).
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_pods.go (getPhase, ContainerRestartRules gate off).
/// </summary>
public static class PodPhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static string GetPhase(V1Pod pod, IReadOnlyList<V1ContainerStatus> info, bool podIsTerminal, bool podHasInitialized)
    {
        var init = CountInitContainers(pod, info);
        var main = CountMainContainers(pod, info, init);
        var restartPolicy = PodSpecs.RestartPolicy(pod);
        if (init.Failed > 0 && restartPolicy == PodSpecs.RestartPolicyNever)
        {
            return Failed;
        }

        if (init.PendingRegular > 0 || (init.PendingRestartable > 0 && !podHasInitialized) || main.Waiting > 0)
        {
            return Pending;
        }

        if (main.Running > 0 && main.Unknown == 0)
        {
            return Running;
        }

        if (main.Running == 0 && main.Stopped > 0 && main.Unknown == 0)
        {
            if (podIsTerminal)
            {
                return main.Stopped == main.Succeeded ? Succeeded : Failed;
            }

            if (restartPolicy == PodSpecs.RestartPolicyAlways)
            {
                return Running;
            }

            if (main.Stopped == main.Succeeded)
            {
                return Succeeded;
            }

            return restartPolicy == PodSpecs.RestartPolicyNever ? Failed : Running;
        }

        return Pending;
    }

    private static InitCounts CountInitContainers(V1Pod pod, IReadOnlyList<V1ContainerStatus> info)
    {
        var counts = new InitCounts();
        foreach (var container in PodSpecs.InitContainers(pod))
        {
            var status = info.FirstOrDefault(s => s.Name == container.Name);
            if (PodSpecs.IsRestartableInitContainer(container))
            {
                CountSidecar(status, ref counts);
                continue;
            }

            if (status?.State?.Terminated is { } terminated)
            {
                counts.Failed += terminated.ExitCode != 0 ? 1 : 0;
            }
            else if (status?.State?.Waiting is not null && status.LastState?.Terminated is { } last)
            {
                counts.Failed += last.ExitCode != 0 ? 1 : 0;
            }
            else
            {
                counts.PendingRegular++;
            }
        }

        return counts;
    }

    // Sidecars count as running/waiting/unknown like main containers, but their terminations are ignored.
    private static void CountSidecar(V1ContainerStatus? status, ref InitCounts counts)
    {
        if (status is null)
        {
            counts.SidecarUnknown++;
        }
        else if (status.State?.Running is not null)
        {
            counts.PendingRestartable += status.Started == true ? 0 : 1;
            counts.SidecarRunning++;
        }
        else if (status.State?.Terminated is not null)
        {
            // Ignored for the phase.
        }
        else if (status.State?.Waiting is not null)
        {
            if (status.LastState?.Terminated is null)
            {
                counts.PendingRestartable++;
                counts.SidecarWaiting++;
            }
        }
        else
        {
            counts.PendingRestartable++;
            counts.SidecarUnknown++;
        }
    }

    private static MainCounts CountMainContainers(V1Pod pod, IReadOnlyList<V1ContainerStatus> info, InitCounts init)
    {
        var counts = new MainCounts { Running = init.SidecarRunning, Waiting = init.SidecarWaiting, Unknown = init.SidecarUnknown };
        foreach (var container in PodSpecs.Containers(pod))
        {
            var status = info.FirstOrDefault(s => s.Name == container.Name);
            if (status is null)
            {
                counts.Unknown++;
            }
            else if (status.State?.Running is not null)
            {
                counts.Running++;
            }
            else if (status.State?.Terminated is { } terminated)
            {
                counts.Stopped++;
                counts.Succeeded += terminated.ExitCode == 0 ? 1 : 0;
            }
            else if (status.State?.Waiting is not null)
            {
                if (status.LastState?.Terminated is not null)
                {
                    counts.Stopped++;
                }
                else
                {
                    counts.Waiting++;
                }
            }
            else
            {
                counts.Unknown++;
            }
        }

        return counts;
    }

    private struct InitCounts
    {
        public int PendingRegular;
        public int PendingRestartable;
        public int Failed;
        public int SidecarRunning;
        public int SidecarWaiting;
        public int SidecarUnknown;
    }

    private struct MainCounts
    {
        public int Running;
        public int Waiting;
        public int Stopped;
        public int Succeeded;
        public int Unknown;
    }
}
