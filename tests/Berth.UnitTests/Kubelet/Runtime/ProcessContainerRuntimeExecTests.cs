using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;

namespace Berth.UnitTests.Kubelet.Runtime;

[Trait("Category", "Process")]
public sealed class ProcessContainerRuntimeExecTests : IDisposable
{
    private readonly RuntimeHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task ExecSync_InContainerContext_SeesEnvAndWorkingDirectory()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30") with
        {
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
            WorkingDirectory = "/tmp",
        });

        var result = await _h.Runtime.ExecSyncAsync(id, ["/bin/sh", "-c", "echo $GREETING; pwd; echo oops >&2; exit 3"], TimeSpan.FromSeconds(5)).DefaultTimeout();

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("hello\n/tmp\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
        Assert.False(result.TimedOut);
    }

    [Fact]
    public async Task ExecSync_HomeUnset_AgentUsersHome_ContainerEnvWins()
    {
        // runc gives every container HOME (from the user's passwd entry) when its env has none; tools such as git
        // and pip expect it.
        var plain = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var own = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30") with
        {
            Environment = new Dictionary<string, string> { ["HOME"] = "/srv/app" },
        });

        var plainHome = await _h.Runtime.ExecSyncAsync(plain, ["/bin/sh", "-c", "echo \"$HOME\""], TimeSpan.FromSeconds(5)).DefaultTimeout();
        var ownHome = await _h.Runtime.ExecSyncAsync(own, ["/bin/sh", "-c", "echo \"$HOME\""], TimeSpan.FromSeconds(5)).DefaultTimeout();

        Assert.Equal(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + "\n", plainHome.Stdout);
        Assert.Equal("/srv/app\n", ownHome.Stdout);
    }

    [Fact]
    public async Task ExecSync_PathLookup_UsesContainerPath()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));

        var result = await _h.Runtime.ExecSyncAsync(id, ["echo", "ok"], TimeSpan.FromSeconds(5)).DefaultTimeout();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("ok\n", result.Stdout);
    }

    [Fact]
    public async Task ExecSync_Timeout_KilledAndFlagged()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var started = DateTimeOffset.UtcNow;

        var result = await _h.Runtime.ExecSyncAsync(id, ["/bin/sh", "-c", "echo partial; sleep 30"], TimeSpan.FromMilliseconds(500)).DefaultTimeout();

        Assert.True(result.TimedOut);
        Assert.Equal(137, result.ExitCode);
        Assert.Equal("partial\n", result.Stdout);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ExecSync_NotRunning_BadRequest()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "exit 0"));
        await _h.WaitExitedAsync(id);

        var ex = await Assert.ThrowsAsync<ApiException>(() => _h.Runtime.ExecSyncAsync(id, ["true"], TimeSpan.FromSeconds(1)));

        Assert.Equal(StatusReason.BadRequest, ex.Reason);
    }

    [Fact]
    public async Task ExecSync_ProcessJoinsContainer_KilledWithIt()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "sleep 30"));
        var pidFile = _h.Scratch("exec.pid");

        await _h.Runtime.ExecSyncAsync(id, ["/usr/bin/setsid", "-f", "/bin/sh", "-c", "echo $$ > \"$0\"; exec sleep 30", pidFile],
            TimeSpan.FromSeconds(5)).DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).Trim().Length > 0);
        var leftover = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await _h.Runtime.StopContainerAsync(id, TimeSpan.FromSeconds(1), Signals.SIGTERM).DefaultTimeout();

        await AsyncTestHelpers.WaitUntilAsync(() => ProcStat.Read(leftover) is null or { State: 'Z' }, TimeSpan.FromSeconds(3));
    }
}
