using System.Runtime.CompilerServices;
using k8s.Models;

namespace Berth.Kubelet.Container;

/// <summary>
/// Ephemeral containers seen as containers: the runtime, the starter and the status converter take
/// <see cref="V1Container"/>s, and an ephemeral container has the same fields apart from
/// <c>targetContainerName</c> (process-namespace targeting, meaningless for host processes, so dropped).
/// Mirrors the <c>(*v1.Container)(&amp;ec.EphemeralContainerCommon)</c> conversion upstream does everywhere.
/// </summary>
/// <remarks>Thread-safe; a converted container is cached per ephemeral-container object, so callers must not mutate it.</remarks>
public static class EphemeralContainers
{
    private static readonly ConditionalWeakTable<V1EphemeralContainer, V1Container> Converted = [];

    /// <summary>The pod's ephemeral containers in spec order, as containers.</summary>
    public static IList<V1Container> Of(V1Pod pod) =>
        pod.Spec?.EphemeralContainers is { Count: > 0 } list ? [.. list.Select(ToContainer)] : [];

    public static V1Container ToContainer(V1EphemeralContainer ec) => Converted.GetValue(ec, Convert);

    private static V1Container Convert(V1EphemeralContainer ec) => new()
    {
        Name = ec.Name,
        Image = ec.Image,
        Command = ec.Command,
        Args = ec.Args,
        WorkingDir = ec.WorkingDir,
        Env = ec.Env,
        EnvFrom = ec.EnvFrom,
        ImagePullPolicy = ec.ImagePullPolicy,
        Lifecycle = ec.Lifecycle,
        LivenessProbe = ec.LivenessProbe,
        ReadinessProbe = ec.ReadinessProbe,
        StartupProbe = ec.StartupProbe,
        Ports = ec.Ports,
        Resources = ec.Resources,
        ResizePolicy = ec.ResizePolicy,
        RestartPolicy = ec.RestartPolicy,
        RestartPolicyRules = ec.RestartPolicyRules,
        SecurityContext = ec.SecurityContext,
        Stdin = ec.Stdin,
        StdinOnce = ec.StdinOnce,
        Tty = ec.Tty,
        TerminationMessagePath = ec.TerminationMessagePath,
        TerminationMessagePolicy = ec.TerminationMessagePolicy,
        VolumeDevices = ec.VolumeDevices,
        VolumeMounts = ec.VolumeMounts,
    };
}
