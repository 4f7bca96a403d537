using System.Security.Cryptography;
using System.Text;
using Berth.Machinery.Serialization;
using k8s;
using k8s.Models;

namespace Berth.Kubelet.KubeRuntime;

/// <summary>
/// A stable hash of a container spec, stored on each container; a running container whose hash no longer matches its
/// spec is restarted ("definition changed"). Resources are left out, as upstream does for in-place resize.
/// Mirrors kubernetes/kubernetes pkg/kubelet/container/helpers.go (HashContainer).
/// </summary>
internal static class ContainerHashes
{
    public static string Hash(V1Container container)
    {
        var copy = ApiJson.DeepCopy(container);
        copy.Resources = null;
        copy.ResizePolicy = null;
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(copy)));
        return Convert.ToHexStringLower(bytes.AsSpan(0, 8));
    }
}
