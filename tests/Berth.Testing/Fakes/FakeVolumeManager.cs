using Berth.Kubelet.Abstractions;
using k8s.Models;

namespace Berth.Testing.Fakes;

/// <summary>
/// An <see cref="IVolumeManager"/> that touches no disk: every <c>volumeMounts[]</c> entry maps to
/// <c>&lt;Root&gt;/&lt;podUid&gt;/volumes/&lt;volume&gt;</c>. <see cref="MountFailure"/> makes mounts throw (e.g. a
/// missing ConfigMap). Records mounted and unmounted pod UIDs. Thread-safe (one lock).
/// </summary>
public sealed class FakeVolumeManager(string root = "/fake/pods") : IVolumeManager
{
    private readonly object _gate = new();
    private readonly List<string> _mounted = [];
    private readonly List<string> _unmounted = [];

    /// <summary>When set, <see cref="MountVolumesAsync"/> throws an InvalidOperationException with this message.</summary>
    public string? MountFailure { get; set; }

    /// <summary>Pod UIDs passed to <see cref="MountVolumesAsync"/>, in call order.</summary>
    public IReadOnlyList<string> Mounted
    {
        get { lock (_gate) { return [.. _mounted]; } }
    }

    /// <summary>Pod UIDs passed to <see cref="UnmountVolumesAsync"/>, in call order.</summary>
    public IReadOnlyList<string> Unmounted
    {
        get { lock (_gate) { return [.. _unmounted]; } }
    }

    public Task<IReadOnlyList<VolumeMount>> MountVolumesAsync(V1Pod pod, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (MountFailure is { } failure)
        {
            throw new InvalidOperationException(failure);
        }

        var uid = pod.Metadata?.Uid ?? "";
        lock (_gate)
        {
            _mounted.Add(uid);
        }

        var containers = (pod.Spec?.InitContainers ?? []).Concat(pod.Spec?.Containers ?? []);
        IReadOnlyList<VolumeMount> mounts = [.. containers.SelectMany(c => (c.VolumeMounts ?? []).Select(m =>
            new VolumeMount(c.Name, $"{root}/{uid}/volumes/{m.Name}", m.MountPath, m.ReadOnlyProperty ?? false,
                string.IsNullOrEmpty(m.SubPath) ? null : m.SubPath)))];
        return Task.FromResult(mounts);
    }

    public Task UnmountVolumesAsync(V1Pod pod, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(pod);
        lock (_gate)
        {
            _unmounted.Add(pod.Metadata?.Uid ?? "");
        }

        return Task.CompletedTask;
    }
}
