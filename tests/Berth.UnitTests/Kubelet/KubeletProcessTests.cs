using System.Globalization;
using Berth.Kubelet.Runtime;
using Xunit.Abstractions;
using Berth.UnitTests.Kubelet.Runtime;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet;

/// <summary>
/// The node agent with the real <c>ProcessContainerRuntime</c> on the system clock, 1–3 s grace periods:
/// §9 scenarios 1 (clean SIGTERM handler), 2 (ignores SIGTERM) and 3 (preStop sleep before SIGTERM).
/// </summary>
[Trait("Category", "Process")]
public sealed class KubeletProcessTests : IAsyncLifetime
{
    private const double Tolerance = 0.3;
    private const double LateTolerance = 0.6;
    private readonly RuntimeHarness _runtime = new(time: TimeProvider.System);
    private readonly KubeletHarness _h;

    private readonly ITestOutputHelper _output;

    public KubeletProcessTests(ITestOutputHelper output)
    {
        _output = output;
        _h = new KubeletHarness(TimeProvider.System, _runtime.Runtime);
    }

    public Task InitializeAsync() => _h.StartAsync();

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        _runtime.Dispose();
    }

    [Fact]
    public async Task Delete_AppTrapsTerm_CompletedSucceededThenRemoved()
    {
        var output = _runtime.Scratch("trap.out");
        _h.Create(Pod(grace: 3, "/bin/sh", RuntimeHarness.Asset("sigterm-trap.sh"), output));
        await RunningAsync(output);
        _h.Api.Interceptor = action => action.Verb == "delete" ? Berth.Machinery.Errors.ApiErrors.Internal("inspect first") : null;

        var start = TimeProvider.System.GetUtcNow();
        await _h.DeleteAsync("web", 3);
        await AsyncTestHelpers.WaitUntilAsync(() => _h.Get()?.Status?.Phase == "Succeeded", because: "Succeeded");
        _output.WriteLine($"delete -> Succeeded written: {(TimeProvider.System.GetUtcNow() - start).TotalSeconds:0.000}s");

        var terminated = _h.ContainerStatus("app")!.State.Terminated;
        Assert.Equal((0, "Completed"), (terminated.ExitCode, terminated.Reason));
        Assert.Contains(File.ReadAllLines(output), l => l.StartsWith("TERM ", StringComparison.Ordinal));
        _h.Api.Interceptor = null;
        _h.Kubelet.StatusManager.RequestSync();
        await AsyncTestHelpers.WaitUntilAsync(() => _h.Get() is null, because: "final delete");
    }

    [Fact]
    public async Task Delete_AppIgnoresTerm_SigkillAtGrace137()
    {
        var output = _runtime.Scratch("ignore.out");
        _h.Create(Pod(grace: 2, "/bin/sh", RuntimeHarness.Asset("ignore-term.sh"), output));
        await RunningAsync(output);

        var start = TimeProvider.System.GetUtcNow();
        await _h.DeleteAsync("web", 2);
        ContainerStatus? exited = null;
        await AsyncTestHelpers.WaitUntilAsync(async () => (exited = await _h.LatestAsync("app"))?.State == ContainerState.Exited, because: "killed");

        _output.WriteLine($"delete -> SIGKILL exit (grace 2): {(exited!.FinishedAt!.Value - start).TotalSeconds:0.000}s");
        Assert.Equal(137, exited.ExitCode);
        Assert.Equal(2.0, (exited.FinishedAt!.Value - start).TotalSeconds, Tolerance);
        await AsyncTestHelpers.WaitUntilAsync(() => _h.Get() is null, because: "final delete");
        _output.WriteLine($"delete -> object gone (grace 2): {(TimeProvider.System.GetUtcNow() - start).TotalSeconds:0.000}s");
    }

    [Fact]
    public async Task Delete_PreStopSleepOne_SigtermAfterOneSecond()
    {
        var output = _runtime.Scratch("prestop.out");
        var pod = Pod(grace: 3, "/bin/sh", RuntimeHarness.Asset("sigterm-trap.sh"), output);
        pod.Spec.Containers[0].Lifecycle = new V1Lifecycle { PreStop = TestPods.SleepHook(1) };
        _h.Create(pod);
        await RunningAsync(output);

        var start = TimeProvider.System.GetUtcNow();
        await _h.DeleteAsync("web", 3);
        await AsyncTestHelpers.WaitUntilAsync(() => File.ReadAllLines(output).Any(l => l.StartsWith("TERM ", StringComparison.Ordinal)), because: "SIGTERM");

        var term = File.ReadAllLines(output).First(l => l.StartsWith("TERM ", StringComparison.Ordinal));
        var at = DateTimeOffset.UnixEpoch.AddSeconds(double.Parse(term[5..], CultureInfo.InvariantCulture));
        _output.WriteLine($"delete -> SIGTERM after preStop sleep 1: {(at - start).TotalSeconds:0.000}s");
        // Never early; late by at most LateTolerance: the shell trap forks `date` to record the instant, which a
        // loaded 2-core CI delays (the same asymmetric bound as tests/Berth.IntegrationTests/Termination).
        Assert.InRange((at - start).TotalSeconds, 1.0 - Tolerance, 1.0 + LateTolerance);
        await AsyncTestHelpers.WaitUntilAsync(() => _h.Get() is null, because: "final delete");
    }

    // Running in the API, and the script has installed its traps (it writes "ready" after that).
    private async Task RunningAsync(string output)
    {
        await AsyncTestHelpers.WaitUntilAsync(() => _h.ContainerStatus("app")?.State?.Running is not null, because: "container running");
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(output) && File.ReadAllText(output).Contains("ready", StringComparison.Ordinal), because: "traps installed");
    }

    private static V1Pod Pod(long grace, params string[] command) => TestPods.Pod("web", TestPods.Container("app", command)).WithGrace(grace);
}
