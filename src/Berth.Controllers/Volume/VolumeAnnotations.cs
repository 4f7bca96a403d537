namespace Berth.Controllers.Volume;

/// <summary>
/// The annotations and labels the binder, the provisioner and the scheduler exchange on claims and volumes, with
/// upstream's names. Mirrors pkg/controller/volume/persistentvolume/util (AnnBindCompleted, AnnBoundByController,
/// AnnSelectedNode, AnnStorageProvisioner, AnnDynamicallyProvisioned).
/// </summary>
public static class VolumeAnnotations
{
    /// <summary>On a claim: the binder finished binding it (value <c>yes</c>).</summary>
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";

    /// <summary>On a claim or volume: the binder, not the user, wrote the binding (value <c>yes</c>).</summary>
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";

    /// <summary>On a claim: the node the scheduler picked for its first consumer (WaitForFirstConsumer).</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>On a claim: the provisioner expected to provision it.</summary>
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";

    /// <summary>The beta spelling of <see cref="StorageProvisioner"/>, still written by upstream.</summary>
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>On a volume: the provisioner that created it (and must delete it).</summary>
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";

    /// <summary>The node label a provisioned local volume's node affinity names.</summary>
    public const string HostnameLabel = "kubernetes.io/hostname";
}
