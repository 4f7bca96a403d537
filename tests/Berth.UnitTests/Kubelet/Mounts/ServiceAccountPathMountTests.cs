using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.UnitTests.Kubelet.Runtime;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>
/// The ServiceAccount volume at its well-known absolute path on real processes, with both shims: readable, read-only,
/// and nothing of it on the host (on most hosts <c>/var/run</c> is a symbolic link to <c>/run</c>).
/// </summary>
[Trait("Category", "Process")]
public abstract class ServiceAccountPathMountTests : IDisposable
{
    private const string TokenPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    private readonly RuntimeHarness _h;
    private readonly string _top = "/berth-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _volume;
    private readonly string _data;

    private protected ServiceAccountPathMountTests(ContainerShimKind shim)
    {
        _h = new RuntimeHarness(shim: shim);
        _volume = Directory.CreateDirectory(_h.Scratch("kube-api-access")).FullName;
        _data = Directory.CreateDirectory(_h.Scratch("data")).FullName;
        File.WriteAllText(Path.Combine(_volume, "token"), "eyJ.tok");
    }

    public void Dispose()
    {
        _h.Dispose();
        GC.SuppressFinalize(this);
    }

    [MountNamespaceFact]
    public async Task Start_VolumeAtServiceAccountPath_ReadableReadOnlyAndHostUntouched()
    {
        var hostHadIt = Path.Exists(TokenPath);
        var script = $"cat {TokenPath}/token > {_top}/data/out; echo >> {_top}/data/out; " +
            $"if echo x > {TokenPath}/new 2>/dev/null; then echo writable; else echo rejected; fi >> {_top}/data/out";
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", script) with
        {
            Mounts = [new ContainerMount(TokenPath, _volume, ReadOnly: true), new ContainerMount($"{_top}/data", _data, ReadOnly: false)],
        });

        var exited = await _h.WaitExitedAsync(id);

        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("eyJ.tok\nrejected\n", File.ReadAllText(Path.Combine(_data, "out")));
        Assert.Equal(hostHadIt, Path.Exists(TokenPath));
        Assert.False(File.Exists(Path.Combine(_volume, "new")));
    }

    /// <summary>The native berth-shim.</summary>
    public sealed class NativeShim() : ServiceAccountPathMountTests(ContainerShimKind.Native);

    /// <summary>The sh shim.</summary>
    public sealed class ScriptShim() : ServiceAccountPathMountTests(ContainerShimKind.Script);
}
