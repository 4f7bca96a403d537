using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Util;
using Berth.UnitTests.Server;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>The container state file: round trip, in-place rewrites, and readers of damaged files.</summary>
public sealed class ContainerStateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string StatePath => Path.Combine(_dir.Path, "state.json");

    [Fact]
    public void Save_TypicalContainer_FitsInOnePageSoItIsRewrittenInPlace()
    {
        var state = Typical();
        state.Save(StatePath);
        using var earlier = File.OpenRead(StatePath);

        state.State = ContainerState.Running;
        state.Pid = 4242;
        state.Save(StatePath);

        Assert.True(new FileInfo(StatePath).Length <= SmallStateFile.InPlaceLimit);
        Assert.Equal(4242, JsonPid(earlier)); // the open handle sees the new content: same inode
    }

    [Fact]
    public void TryLoad_AfterShorterRewrite_ReadsNewStateDespitePadding()
    {
        var state = Typical();
        state.Message = new string('m', 300);
        state.Save(StatePath);
        state.Message = null;
        state.State = ContainerState.Exited;
        state.ExitCode = 143;
        state.Save(StatePath);

        var loaded = ContainerStateFile.TryLoad(StatePath);

        Assert.NotNull(loaded);
        Assert.Equal(ContainerState.Exited, loaded.State);
        Assert.Equal(143, loaded.ExitCode);
        Assert.Null(loaded.Message);
        Assert.EndsWith("  ", File.ReadAllText(StatePath), StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_EmptyFile_Null()
    {
        File.WriteAllBytes(StatePath, []);

        Assert.Null(ContainerStateFile.TryLoad(StatePath));
    }

    [Fact]
    public void TryLoad_TornFile_Null()
    {
        Typical().Save(StatePath);
        var bytes = File.ReadAllBytes(StatePath);
        File.WriteAllBytes(StatePath, bytes[..(bytes.Length / 2)]);

        Assert.Null(ContainerStateFile.TryLoad(StatePath));
    }

    [Fact]
    public void TryLoad_NewPrefixOverOldTail_Null()
    {
        // A rewrite that stopped after its first bytes: new content followed by the rest of the old one.
        var state = Typical();
        state.Message = new string('m', 300);
        state.Save(StatePath);
        var old = File.ReadAllBytes(StatePath);
        state.Message = null;
        var fresh = System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { id = "x" }));
        fresh.CopyTo(old, 0);
        File.WriteAllBytes(StatePath, old);

        Assert.Null(ContainerStateFile.TryLoad(StatePath));
    }

    [Fact]
    public void TryLoad_ZeroFilledFile_Null()
    {
        File.WriteAllBytes(StatePath, new byte[512]);

        Assert.Null(ContainerStateFile.TryLoad(StatePath));
    }

    [Fact]
    public void FromUtf8_OfToUtf8_SameStateAndTheSameBytesSaveWrites()
    {
        var state = Typical();
        state.State = ContainerState.Running;
        state.Pid = 4242;
        state.Save(StatePath);

        var bytes = state.ToUtf8();
        var back = ContainerStateFile.FromUtf8(bytes);

        Assert.Equal(bytes, File.ReadAllBytes(StatePath).AsSpan().TrimEnd((byte)' ').ToArray());
        Assert.Equal(ContainerState.Running, back.State);
        Assert.Equal(4242, back.Pid);
        Assert.Equal(state.Config.Mounts, back.Config.Mounts);
        Assert.Equal(bytes, back.ToUtf8());
    }

    [Fact]
    public void FromUtf8_JsonNull_Throws()
    {
        Assert.Throws<System.Text.Json.JsonException>(() => ContainerStateFile.FromUtf8("null"u8));
    }

    private static int JsonPid(FileStream stream)
    {
        stream.Position = 0;
        using var document = System.Text.Json.JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("pid").GetInt32();
    }

    private static ContainerStateFile Typical() => new()
    {
        Id = ContainerId.New().Value,
        Config = RuntimeHarness.Config("/bin/sleep", "3600") with
        {
            PodNamespace = "burst",
            PodName = "burst-first-0042",
            TerminationMessagePath = "/dev/termination-log",
            Mounts = [new ContainerMount("/etc/resolv.conf", "/var/lib/berth/kubelet/pods/0b5c3d7e-1111-4a2b-9c3d-000000000001/volumes/resolv.conf", false)],
            Labels = new Dictionary<string, string>
            {
                ["io.kubernetes.pod.name"] = "burst-first-0042",
                ["io.kubernetes.pod.namespace"] = "burst",
                ["io.kubernetes.pod.uid"] = "0b5c3d7e-1111-4a2b-9c3d-000000000001",
                ["io.kubernetes.container.name"] = "app",
            },
            Annotations = new Dictionary<string, string>
            {
                ["io.kubernetes.container.hash"] = "8d9f2c1a",
                ["io.kubernetes.container.restartCount"] = "0",
                ["berth.io/image"] = "registry.example/app:1.0",
                ["berth.io/stop-signal"] = "15",
                ["io.kubernetes.pod.terminationGracePeriod"] = "30",
            },
        },
        LogPath = "/var/lib/berth/kubelet/logs/burst_burst-first-0042_0b5c3d7e-1111-4a2b-9c3d-000000000001/app/0.log",
        State = ContainerState.Created,
        CreatedAt = DateTimeOffset.UnixEpoch,
        Cgroup = "/sys/fs/cgroup/berth.slice/0123456789abcdef0123456789abcdef",
        ShimPid = 4000,
        ShimStartTime = 123456789,
    };
}
