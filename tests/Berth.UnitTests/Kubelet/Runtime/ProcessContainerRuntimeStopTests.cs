using System.Globalization;
using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Runtime;

/// <summary>
/// Pins the signal semantics of running containers as host processes (no PID namespace): the stop signal reaches
/// the main process, default-action SIGTERM kills it (143), a handler can exit cleanly (0), an ignored SIGTERM ends
/// in SIGKILL at the grace deadline (137).
/// </summary>
[Trait("Category", "Process")]
public sealed class ProcessContainerRuntimeStopTests : IDisposable
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);
    private readonly RuntimeHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public async Task StopContainer_TrapExitsZero_CompletedAndSignalRecorded()
    {
        var record = _h.Scratch("signals.txt");
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("sigterm-trap.sh"), record));
        await WaitForLineAsync(record, "ready");
        var before = DateTimeOffset.UtcNow;

        await _h.Runtime.StopContainerAsync(id, Grace, Signals.SIGTERM).DefaultTimeout();
        var status = await _h.Runtime.GetContainerStatusAsync(id);
        var term = File.ReadAllLines(record).Single(l => l.StartsWith("TERM ", StringComparison.Ordinal));
        var received = DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(term[5..], CultureInfo.InvariantCulture) * 1000));

        Assert.Equal(0, status.ExitCode);
        Assert.Equal(ContainerReasons.Completed, status.Reason);
        Assert.InRange(received - before, TimeSpan.FromSeconds(-0.1), TimeSpan.FromSeconds(1));
        Assert.True(status.FinishedAt - before < Grace, "exited well before the deadline");
    }

    [Fact]
    public async Task StopContainer_NoHandler_DiesOnSigtermWith143()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("no-trap.sh")));
        var started = DateTimeOffset.UtcNow;

        await _h.Runtime.StopContainerAsync(id, Grace, Signals.SIGTERM).DefaultTimeout();
        var status = await _h.Runtime.GetContainerStatusAsync(id);

        Assert.Equal(143, status.ExitCode);
        Assert.Equal(ContainerReasons.Error, status.Reason);
        Assert.Equal(Signals.SIGTERM, status.Signal);
        Assert.True(status.FinishedAt - started < Grace, "a host process dies at once; a container PID 1 would not");
    }

    [Fact]
    public async Task StopContainer_IgnoresSigterm_KilledAtDeadlineWith137()
    {
        var ready = _h.Scratch("ready.txt");
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("ignore-term.sh"), ready));
        await WaitForLineAsync(ready, "ready");
        var before = DateTimeOffset.UtcNow;

        await _h.Runtime.StopContainerAsync(id, TimeSpan.FromSeconds(1), Signals.SIGTERM).DefaultTimeout();
        var status = await _h.Runtime.GetContainerStatusAsync(id);

        Assert.Equal(137, status.ExitCode);
        Assert.Equal(ContainerReasons.Error, status.Reason);
        Assert.Equal(Signals.SIGKILL, status.Signal);
        Assert.InRange((status.FinishedAt!.Value - before).TotalSeconds, 0.99, 1.8);
    }

    [Fact]
    public async Task StopContainer_CustomStopSignal_DeliveredInsteadOfSigterm()
    {
        var record = _h.Scratch("signals.txt");
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("sigterm-trap.sh"), record));
        await WaitForLineAsync(record, "ready");

        await _h.Runtime.StopContainerAsync(id, TimeSpan.FromSeconds(1), Signals.SIGUSR1).DefaultTimeout();
        var lines = File.ReadAllLines(record);

        Assert.Contains(lines, l => l.StartsWith("USR1 ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("TERM ", StringComparison.Ordinal));
        Assert.Equal(137, (await _h.Runtime.GetContainerStatusAsync(id)).ExitCode);
    }

    [Fact]
    public async Task StopContainer_ZeroGrace_SigkillAtOnce()
    {
        var record = _h.Scratch("signals.txt");
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("sigterm-trap.sh"), record));
        await WaitForLineAsync(record, "ready");

        await _h.Runtime.StopContainerAsync(id, TimeSpan.Zero, Signals.SIGTERM).DefaultTimeout();

        Assert.Equal(137, (await _h.Runtime.GetContainerStatusAsync(id)).ExitCode);
        Assert.DoesNotContain(File.ReadAllLines(record), l => l.StartsWith("TERM ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StopContainer_UnknownOrExited_Succeeds()
    {
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", "exit 4"));
        await _h.WaitExitedAsync(id);

        await _h.Runtime.StopContainerAsync(ContainerId.New(), Grace, Signals.SIGTERM).DefaultTimeout();
        await _h.Runtime.StopContainerAsync(id, Grace, Signals.SIGTERM).DefaultTimeout();

        Assert.Equal(4, (await _h.Runtime.GetContainerStatusAsync(id)).ExitCode);
    }

    [Fact]
    public async Task StopContainer_GraceOnFakeClock_SigkillOnlyAfterAdvance()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var h = new RuntimeHarness(time: clock);
        var ready = h.Scratch("ready.txt");
        var id = await h.RunAsync(RuntimeHarness.Config("/bin/sh", RuntimeHarness.Asset("ignore-term.sh"), ready));
        await WaitForLineAsync(ready, "ready");

        var stop = h.Runtime.StopContainerAsync(id, TimeSpan.FromSeconds(30), Signals.SIGTERM);
        await Task.Delay(300);
        var stateBeforeDeadline = (await h.Runtime.GetContainerStatusAsync(id)).State;
        clock.Advance(TimeSpan.FromSeconds(30));
        await stop.DefaultTimeout();

        Assert.Equal(ContainerState.Running, stateBeforeDeadline);
        Assert.Equal(137, (await h.Runtime.GetContainerStatusAsync(id)).ExitCode);
    }

    private static Task WaitForLineAsync(string path, string prefix) =>
        AsyncTestHelpers.WaitUntilAsync(() => File.Exists(path) && File.ReadAllLines(path).Any(l => l.StartsWith(prefix, StringComparison.Ordinal)),
            because: $"{Path.GetFileName(path)} has '{prefix}'");
}
