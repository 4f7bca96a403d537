using Berth.Kubelet.Network.Dns;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Dns;

/// <summary>Each pod's resolv.conf is written once in its volumes directory, also when many pods start at once.</summary>
public sealed class PodResolvConfTests : IDisposable
{
    private readonly string _pods = Directory.CreateTempSubdirectory("berth-resolv-").FullName;
    private readonly PodResolvConf _resolvConf;

    public PodResolvConfTests()
    {
        var host = ResolvConfParser.Parse("nameserver 10.0.0.2\nsearch corp.example\n");
        _resolvConf = new PodResolvConf(new DnsConfigurer(["127.96.0.10"], "cluster.local", host), _pods, new RecordingEventRecorder(TimeProvider.System));
    }

    public void Dispose() => Directory.Delete(_pods, recursive: true);

    [Fact]
    public void MountsFor_NewPod_WritesTheFileAndMountsItAtEtcResolvConf()
    {
        var mounts = _resolvConf.MountsFor(Pod("u1", "shop"));

        var mount = Assert.Single(mounts);
        Assert.Equal("/etc/resolv.conf", mount.ContainerPath);
        Assert.Equal(Path.Combine(_pods, "u1", "volumes", "resolv.conf"), mount.HostPath);
        Assert.Contains("search shop.svc.cluster.local svc.cluster.local cluster.local corp.example", File.ReadAllText(mount.HostPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MountsFor_ManyPodsAndContainersAtOnce_EveryPodGetsItsOwnCompleteFile()
    {
        var pods = Enumerable.Range(0, 40).Select(i => Pod($"u{i}", $"ns{i % 4}")).ToList();

        // Two containers of every pod start concurrently with all the other pods' containers.
        await Task.WhenAll(pods.Concat(pods).Select(pod => Task.Run(() => _resolvConf.MountsFor(pod))));

        foreach (var pod in pods)
        {
            var text = File.ReadAllText(_resolvConf.PathFor(pod.Metadata.Uid));
            Assert.StartsWith($"search {pod.Metadata.NamespaceProperty}.svc.cluster.local ", text, StringComparison.Ordinal);
            Assert.Contains("nameserver 127.96.0.10", text, StringComparison.Ordinal);
        }
        Assert.Empty(Directory.EnumerateFiles(_pods, "*.tmp", SearchOption.AllDirectories));
    }

    private static V1Pod Pod(string uid, string ns) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web-" + uid, NamespaceProperty = ns, Uid = uid },
        Spec = new V1PodSpec { DnsPolicy = "ClusterFirst", Containers = [] },
    };
}
