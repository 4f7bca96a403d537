namespace Berth.Kubelet.Volumes;

/// <summary>One file of a ConfigMap, Secret, downward API or projected volume: its content and permission bits (e.g. 0644).</summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/volume/util/atomic_writer.go (FileProjection).</remarks>
internal sealed record FileProjection(byte[] Data, int Mode)
{
    public bool ContentEquals(byte[] data, int mode) => Mode == mode && Data.AsSpan().SequenceEqual(data);
}
