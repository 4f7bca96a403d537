using System.Collections.Concurrent;
using Berth.Kubelet.Pleg;
using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Pleg;

public sealed class PodLifecycleEventGeneratorTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeContainerRuntime _runtime;
    private readonly PodLifecycleEventGenerator _pleg;
    private readonly ConcurrentQueue<PodLifecycleEvent> _events = new();

    public PodLifecycleEventGeneratorTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _pleg = new PodLifecycleEventGenerator(_runtime, _time, TimeSpan.FromSeconds(1), NullLogger<PodLifecycleEventGenerator>.Instance)
        {
            Handler = _events.Enqueue,
        };
    }

    [Fact]
    public async Task Relist_StartExitRemove_OneEventPerChange()
    {
        var id = await StartAsync();
        await _pleg.RelistAsync(CancellationToken.None);
        await _pleg.RelistAsync(CancellationToken.None);
        _runtime.Exit(id, 0);
        await _pleg.RelistAsync(CancellationToken.None);
        await _runtime.RemoveContainerAsync(id, deleteLogs: true);
        await _pleg.RelistAsync(CancellationToken.None);

        Assert.Equal([PodLifecycleEventType.ContainerStarted, PodLifecycleEventType.ContainerDied, PodLifecycleEventType.ContainerRemoved],
            _events.Select(e => e.Type));
        Assert.All(_events, e => Assert.Equal(("pod-1", id), (e.PodUid, e.ContainerId)));
    }

    [Fact]
    public async Task RunAsync_ContainerExits_DiedEventWithoutWaitingForRelist()
    {
        var id = await StartAsync();
        using var cts = new CancellationTokenSource();
        var run = _pleg.RunAsync(cts.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => _events.Count == 1, because: "initial relist");

        _runtime.Exit(id, 3);
        await AsyncTestHelpers.WaitUntilAsync(() => _events.Any(e => e.Type == PodLifecycleEventType.ContainerDied), because: "exit event");
        await cts.CancelAsync();
        await run.DefaultTimeout();
    }

    private async Task<ContainerId> StartAsync()
    {
        var id = await _runtime.CreateContainerAsync(new ContainerConfig { PodUid = "pod-1", PodNamespace = "default", PodName = "web", ContainerName = "app", Argv = ["/bin/app"] });
        await _runtime.StartContainerAsync(id);
        return id;
    }
}
