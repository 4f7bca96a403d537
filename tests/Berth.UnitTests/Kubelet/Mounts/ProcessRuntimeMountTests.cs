using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;
using Berth.UnitTests.Kubelet.Runtime;
using Xunit.Abstractions;

namespace Berth.UnitTests.Kubelet.Mounts;

/// <summary>
/// Private mount namespaces of the process runtime on real processes: mounts at paths that do not exist on the host
/// (below <c>/</c> and below an existing host directory), read-only binds, file binds, exec in the container's view,
/// the stop signal reaching the main process, adoption, and the failures when namespaces are unavailable.
/// Mount paths use a fresh <c>/berth-test-&lt;guid&gt;</c>, which must never appear on the host.
/// </summary>
/// <remarks>Runs against both shims (<see cref="NativeShim"/> and <see cref="ScriptShim"/>).</remarks>
[Trait("Category", "Process")]
public abstract class ProcessRuntimeMountTests : IDisposable
{
    private readonly RuntimeHarness _h;
    private readonly string _top = "/berth-test-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _config;
    private readonly string _data;
    private readonly ITestOutputHelper _output;

    private protected ProcessRuntimeMountTests(ITestOutputHelper output, ContainerShimKind shim)
    {
        _h = new RuntimeHarness(shim: shim);
        _output = output;
        _config = Directory.CreateDirectory(_h.Scratch("config")).FullName;
        _data = Directory.CreateDirectory(_h.Scratch("data")).FullName;
        File.WriteAllText(Path.Combine(_config, "app.conf"), "port=80\n");
    }

    public void Dispose()
    {
        _h.Dispose();
        GC.SuppressFinalize(this);
    }

    private ContainerConfig Config(string script, params ContainerMount[] mounts) =>
        RuntimeHarness.Config("/bin/sh", "-c", script) with { Mounts = mounts };

    [MountNamespaceFact]
    public async Task Start_MountsBelowMissingTopLevelDir_VisibleInsideNothingOnHost()
    {
        var id = await _h.RunAsync(Config($"cat {_top}/config/app.conf > {_top}/data/out; ls / > {_top}/data/root",
            new ContainerMount($"{_top}/config", _config, ReadOnly: true), new ContainerMount($"{_top}/data", _data, ReadOnly: false)));

        var exited = await _h.WaitExitedAsync(id);

        Assert.Equal((0, ContainerReasons.Completed), (exited.ExitCode, exited.Reason));
        Assert.Equal("port=80\n", File.ReadAllText(Path.Combine(_data, "out")));
        Assert.Contains("usr", File.ReadAllLines(Path.Combine(_data, "root")));
        Assert.False(Path.Exists(_top));
    }

    [MountNamespaceFact]
    public async Task Start_ReadOnlyMount_WritesRejected()
    {
        var id = await _h.RunAsync(Config($"if echo x > {_top}/config/new 2>/dev/null; then echo writable; else echo rejected; fi > {_top}/data/out",
            new ContainerMount($"{_top}/config", _config, ReadOnly: true), new ContainerMount($"{_top}/data", _data, ReadOnly: false)));

        await _h.WaitExitedAsync(id);

        Assert.Equal("rejected\n", File.ReadAllText(Path.Combine(_data, "out")));
        Assert.False(File.Exists(Path.Combine(_config, "new")));
    }

    [MountNamespaceFact]
    public async Task Start_FileMountBelowExistingHostDir_ShadowedHostUntouched()
    {
        var etc = "/etc/" + Path.GetFileName(_top);
        var id = await _h.RunAsync(Config($"cat {etc}/app.conf > {_top}/out; head -c 1 /etc/passwd >> {_top}/out",
            new ContainerMount($"{etc}/app.conf", Path.Combine(_config, "app.conf"), ReadOnly: true),
            new ContainerMount(_top, _data, ReadOnly: false)));

        var exited = await _h.WaitExitedAsync(id);

        Assert.Equal(0, exited.ExitCode);
        Assert.Equal("port=80\nr", File.ReadAllText(Path.Combine(_data, "out")));
        Assert.False(Path.Exists(etc));
        Assert.False(Path.Exists(_top));
    }

    [MountNamespaceFact]
    public async Task Exec_ContainerWithMounts_RunsInItsViewAndWorkingDir()
    {
        var id = await _h.RunAsync(Config("exec sleep 30", new ContainerMount($"{_top}/config", _config, ReadOnly: true))
            with { WorkingDirectory = $"{_top}/config" });

        var result = await _h.Runtime.ExecSyncAsync(id, ["/bin/sh", "-c", "pwd; cat app.conf"], TimeSpan.FromSeconds(10)).DefaultTimeout();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{_top}/config\nport=80\n", result.Stdout);
    }

    [MountNamespaceFact]
    public async Task Stop_ContainerInNamespace_StopSignalReachesMainProcess()
    {
        var id = await _h.RunAsync(Config($"trap 'exit 0' TERM; touch {_top}/data/ready; while :; do sleep 0.05; done",
            new ContainerMount($"{_top}/data", _data, ReadOnly: false)));
        var pid = (await _h.Runtime.GetContainerStatusAsync(id)).Pid!.Value;
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(Path.Combine(_data, "ready")), because: "the trap is installed");

        Assert.NotEqual(ReadLink("/proc/self/ns/mnt"), ReadLink($"/proc/{pid}/ns/mnt"));
        await _h.Runtime.StopContainerAsync(id, TimeSpan.FromSeconds(5), Signals.SIGTERM).DefaultTimeout();

        var exited = await _h.Runtime.GetContainerStatusAsync(id);
        Assert.Equal((0, ContainerReasons.Completed), (exited.ExitCode, exited.Reason));
    }

    [MountNamespaceFact]
    public async Task Restart_AdoptedContainerInNamespace_ExecStillSeesMounts()
    {
        var id = await _h.RunAsync(Config("exec sleep 30", new ContainerMount($"{_top}/config", _config, ReadOnly: true)));

        var runtime = _h.Restart();
        var result = await runtime.ExecSyncAsync(id, ["cat", $"{_top}/config/app.conf"], TimeSpan.FromSeconds(10)).DefaultTimeout();

        Assert.Equal("port=80\n", result.Stdout);
    }

    [MountNamespaceFact]
    public async Task Start_MissingMountSource_StartErrorNamesTheMount()
    {
        var id = await _h.Runtime.CreateContainerAsync(Config("true", new ContainerMount($"{_top}/x", _h.Scratch("missing"), ReadOnly: false)));

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => _h.Runtime.StartContainerAsync(id)).DefaultTimeout();

        Assert.Contains($"{_top}/x", error.Message, StringComparison.Ordinal);
        var status = await _h.Runtime.GetContainerStatusAsync(id);
        Assert.Equal((ContainerReasons.StartError, 128), (status.Reason, status.ExitCode));
        Assert.False(Path.Exists(_top));
    }

    [Fact]
    public async Task Start_NamespacesDisabled_MountElsewhereIsStartError()
    {
        using var h = new RuntimeHarness(mountNamespaces: MountNamespaceMode.Disabled);
        var id = await h.Runtime.CreateContainerAsync(Config("true", new ContainerMount($"{_top}/config", _config, ReadOnly: false)));

        var error = await Assert.ThrowsAsync<ContainerStartException>(() => h.Runtime.StartContainerAsync(id)).DefaultTimeout();

        Assert.False(h.Runtime.SupportsMountNamespaces);
        Assert.Contains("mount namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NamespacesDisabled_IdentityMountRunsOnHost()
    {
        using var h = new RuntimeHarness(mountNamespaces: MountNamespaceMode.Disabled);
        var id = await h.RunAsync(Config($"echo ok > {_data}/out", new ContainerMount(_data, _data, ReadOnly: false)));

        Assert.Equal(0, (await h.WaitExitedAsync(id)).ExitCode);
        Assert.Equal("ok\n", File.ReadAllText(Path.Combine(_data, "out")));
    }

    [MountNamespaceFact]
    public async Task Start_TypicalContainer_NamespaceCostMeasured()
    {
        var resolv = _h.Scratch("resolv.conf");
        File.WriteAllText(resolv, "nameserver 127.96.0.10\n");
        var plain = await TimeStartsAsync(RuntimeHarness.Config("/bin/sleep", "30"));
        var typical = await TimeStartsAsync(RuntimeHarness.Config("/bin/sleep", "30") with
        {
            Mounts = [new ContainerMount("/etc/resolv.conf", resolv, false)],
            TerminationMessagePath = "/dev/termination-log",
        });

        _output.WriteLine($"start to PID, median of 5: plain {plain.TotalMilliseconds:0} ms, resolv.conf + termination-log {typical.TotalMilliseconds:0} ms");
        Assert.True(typical < TimeSpan.FromSeconds(3), $"namespace setup took {typical}");
    }

    private async Task<TimeSpan> TimeStartsAsync(ContainerConfig config)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var started = TimeProvider.System.GetTimestamp();
            var id = await _h.RunAsync(config);
            times.Add(TimeProvider.System.GetElapsedTime(started));
            await _h.Runtime.RemoveContainerAsync(id, deleteLogs: true).DefaultTimeout();
        }
        return times.Order().ElementAt(2);
    }

    private static string ReadLink(string path) => new FileInfo(path).LinkTarget ?? "";

    /// <summary>The native berth-shim: unshare and mount(2) in one process.</summary>
    public sealed class NativeShim(ITestOutputHelper output) : ProcessRuntimeMountTests(output, ContainerShimKind.Native);

    /// <summary>The sh shim: unshare(1), the mount script and mount(8).</summary>
    public sealed class ScriptShim(ITestOutputHelper output) : ProcessRuntimeMountTests(output, ContainerShimKind.Script);
}
