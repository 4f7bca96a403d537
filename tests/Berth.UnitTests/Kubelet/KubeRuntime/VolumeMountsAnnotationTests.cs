using System.Text.Json;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.KubeRuntime;

namespace Berth.UnitTests.Kubelet.KubeRuntime;

/// <summary>The <c>berth.io/volume-mounts</c> annotation, now written as JSON nodes: the text the reflection serializer wrote.</summary>
public sealed class VolumeMountsAnnotationTests
{
    [Fact]
    public void VolumeMountsJson_SameTextAsTheReflectionSerializerOfTheFormerAnonymousType()
    {
        VolumeMount[] mounts =
        [
            new("app", "/var/lib/berth/pods/u/volumes/kube-api-access-x2b4c", "/var/run/secrets/kubernetes.io/serviceaccount", true, null),
            new("app", "/data/é <&> 'q'", "/mnt/data", false, "sub/dir+1"),
        ];

        var expected = JsonSerializer.Serialize(mounts.Select(m => new { m.MountPath, m.HostPath, m.ReadOnly, m.SubPath }));

        Assert.Equal(expected, ContainerLabels.VolumeMountsJson(mounts));
    }

    [Fact]
    public void VolumeMountsJson_None_EmptyArray()
    {
        Assert.Equal("[]", ContainerLabels.VolumeMountsJson([]));
    }
}
