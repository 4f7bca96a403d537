using Berth.Kubelet.Abstractions;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// Turns a container spec into the runtime's <see cref="ContainerConfig"/>: resolved environment (plus the pod's
/// <c>HOSTNAME</c>, see <see cref="PodHostname"/>), command + args
/// with <c>$(VAR)</c> expanded against it, working directory, memory limit, identity labels and the annotations an
/// orphan kill needs. A container without <c>command</c> is rejected (a process runtime has no image entrypoint).
/// Volume mounts, the pod's resolv.conf (from <paramref name="podMounts"/>) and the termination-message path go to
/// the runtime, which applies them in a private mount namespace; when the runtime cannot
/// (<paramref name="mountsUnavailable"/> gives the reason), a container whose mounts need one is rejected
/// (CreateContainerConfigError), except the ServiceAccount token mount at
/// <c>/var/run/secrets/kubernetes.io/serviceaccount</c>, which is then left out. The mounts are also recorded in the <c>berth.io/volume-mounts</c> annotation.
/// A mount asking for a recursive read-only mount the runtime cannot make is refused (<see cref="RecursiveReadOnlyMounts"/>).
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go (generateContainerConfig) and
/// pkg/kubelet/container/helpers.go (ExpandContainerCommandAndArgs).
/// </summary>
/// <param name="environment">Resolves env, envFrom and downward-API variables.</param>
/// <param name="mountsUnavailable">Null when the runtime applies mounts; else why it cannot.</param>
/// <param name="podMounts">Extra mounts for every container of a pod (its resolv.conf); called on each generate.</param>
public sealed class ContainerConfigGenerator(EnvironmentResolver environment, string? mountsUnavailable = null,
    Func<V1Pod, IReadOnlyList<ContainerMount>>? podMounts = null)
{
    /// <summary>Throws <see cref="ContainerConfigException"/> when the config cannot be built.</summary>
    public async Task<ContainerConfig> GenerateAsync(V1Pod pod, V1Container container, int restartCount,
        IReadOnlyList<string> podIPs, string hostIP, IReadOnlyList<VolumeMount> mounts, int stopSignal,
        CancellationToken cancellationToken)
    {
        // Without an image, a container runs as if its image had no ENTRYPOINT (busybox, alpine, debian, python…):
        // args alone are the whole command line, as `kubectl run x --image=busybox -- sleep 3600` expects.
        IList<string> command = container.Command is { Count: > 0 } c ? c : [];
        IList<string> args = container.Args ?? [];
        if (command.Count == 0)
        {
            (command, args) = (args, []);
        }
        if (command.Count == 0 || string.IsNullOrEmpty(command[0]))
        {
            throw new ContainerConfigException(
                $"container \"{container.Name}\" has no command: Berth runs containers as host processes and cannot use an image entrypoint; set command or args");
        }

        var env = await environment.ResolveAsync(pod, container, podIPs, hostIP, cancellationToken).ConfigureAwait(false);
        if (RecursiveReadOnlyMounts.Refusal(container) is { } refusal)
        {
            throw new ContainerConfigException(refusal);
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in env)
        {
            variables[name] = value;
        }

        var lookup = Expansion.MappingFor(variables);
        // Expanded before HOSTNAME joins the environment: the runtime adds it, so $(HOSTNAME) in a command is not
        // the kubelet's to expand, as upstream.
        List<string> argv = [.. command.Select(a => Expansion.Expand(a, lookup)), .. args.Select(a => Expansion.Expand(a, lookup))];
        variables.TryAdd(PodHostname.Variable, PodHostname.Of(pod, System.Net.Dns.GetHostName));
        var annotations = ContainerLabels.NewContainerAnnotations(pod, container, restartCount, stopSignal);
        // Without mount namespaces the ServiceAccount token mount (added to every pod by admission) is dropped instead
        // of failing the container: the token stays in the pod's volume directory, as before tokens existed.
        var own = mounts.Where(m => m.ContainerName == container.Name
            && (mountsUnavailable is null || m.MountPath != Registry.Core.ServiceAccounts.ServiceAccountAdmission.MountPath)).ToList();
        if (own.Count > 0)
        {
            annotations[ContainerLabels.VolumeMounts] = ContainerLabels.VolumeMountsJson(own);
        }

        var config = new ContainerConfig
        {
            PodUid = pod.Metadata?.Uid ?? "",
            PodNamespace = pod.Metadata?.NamespaceProperty ?? "",
            PodName = pod.Metadata?.Name ?? "",
            ContainerName = container.Name,
            Attempt = restartCount,
            Argv = argv,
            Environment = variables,
            WorkingDirectory = string.IsNullOrEmpty(container.WorkingDir) ? null : container.WorkingDir,
            PodAddress = pod.Spec?.HostNetwork == true ? null : podIPs.FirstOrDefault(ip => !ip.Contains(':', StringComparison.Ordinal)),
            MemoryLimitBytes = container.Resources?.Limits is { } limits && limits.TryGetValue("memory", out var memory)
                ? (long)memory.ToDecimal()
                : null,
            Labels = ContainerLabels.NewContainerLabels(pod, container),
            Annotations = annotations,
            Mounts = [.. own.Select(m => new ContainerMount(m.MountPath, m.HostPath, m.ReadOnly))],
            TerminationMessagePath = container.TerminationMessagePath,
            TerminationMessageFallbackToLogs = container.TerminationMessagePolicy == "FallbackToLogsOnError",
            Stdin = container.Stdin == true,
            StdinOnce = container.StdinOnce == true,
            Tty = container.Tty == true,
        };
        if (mountsUnavailable is not null)
        {
            if (MountRequirements.NeedsMountNamespace(config))
            {
                throw new ContainerConfigException(
                    $"container \"{container.Name}\" has volumeMounts at {string.Join(", ", own.Select(m => m.MountPath))} but this node agent cannot mount them ({mountsUnavailable}); the pod's volumes stay under its pod directory");
            }
            return config;
        }
        return podMounts?.Invoke(pod) is { Count: > 0 } extra ? config with { Mounts = [.. config.Mounts, .. extra] } : config;
    }
}
