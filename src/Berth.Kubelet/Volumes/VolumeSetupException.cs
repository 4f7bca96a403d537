namespace Berth.Kubelet.Volumes;

/// <summary>
/// A pod's volumes could not be prepared. <see cref="Reason"/> says how upstream reports it:
/// <see cref="FailedMount"/> — a volume could not be set up (missing ConfigMap or Secret, failed hostPath type check);
/// the kubelet emits a <c>FailedMount</c> Warning event with <see cref="Exception.Message"/> and the pod stays
/// Pending (containers waiting in <c>ContainerCreating</c>) until a later sync succeeds.
/// <see cref="CreateContainerConfigError"/> — a container's volumeMount cannot be resolved (subPath, subPathExpr);
/// the container waits with reason <c>CreateContainerConfigError</c> and this message.
/// Messages never contain Secret or ConfigMap data.
/// </summary>
/// <remarks>Mirrors the errors of kubernetes/kubernetes pkg/kubelet/volumemanager (MountVolume.SetUp) and pkg/kubelet/kubelet_pods.go (makeMounts).</remarks>
public sealed class VolumeSetupException : Exception
{
    public const string FailedMount = "FailedMount";
    public const string CreateContainerConfigError = "CreateContainerConfigError";

    public VolumeSetupException(string volumeName, string reason, string message, Exception? inner = null)
        : base(message, inner)
    {
        VolumeName = volumeName;
        Reason = reason;
    }

    /// <summary>The <c>spec.volumes[].name</c> (or volumeMount name) that failed.</summary>
    public string VolumeName { get; }

    /// <summary><see cref="FailedMount"/> or <see cref="CreateContainerConfigError"/>.</summary>
    public string Reason { get; }

    /// <summary>A setup failure of volume <paramref name="volumeName"/>: <c>MountVolume.SetUp failed for volume "x" : detail</c>.</summary>
    public static VolumeSetupException SetUpFailed(string volumeName, string detail, Exception? inner = null) =>
        new(volumeName, FailedMount, $"MountVolume.SetUp failed for volume \"{volumeName}\" : {detail}", inner);

    /// <summary>A container-level mount error (reported as <c>CreateContainerConfigError</c>).</summary>
    public static VolumeSetupException ContainerConfig(string volumeName, string message) =>
        new(volumeName, CreateContainerConfigError, message);
}
