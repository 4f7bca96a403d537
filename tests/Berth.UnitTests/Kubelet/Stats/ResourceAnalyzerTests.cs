using Berth.ApiServer.ResourceMetrics;
using Berth.Kubelet;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Stats;
using Berth.Testing.Fakes;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Stats;

/// <summary>Rates and windows of the analyzer on a fake clock, over a fake runtime and scripted counters.</summary>
public sealed class ResourceAnalyzerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 18, 0, 0, TimeSpan.Zero));
    private readonly FakeContainerRuntime _runtime;
    private readonly PodManager _pods = new();
    private readonly ScriptedSource _source = new();
    private readonly ResourceAnalyzer _analyzer;

    public ResourceAnalyzerTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _analyzer = new ResourceAnalyzer(_runtime, _pods, "vm", _source, _time);
    }

    [Fact]
    public async Task ListPodUsage_BeforeASampleASecondOld_Empty()
    {
        var id = await StartAsync("u1", "web");
        _source.Cpu[id] = 1_000;
        await _analyzer.SampleAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromMilliseconds(900));

        Assert.Empty(_analyzer.ListPodUsage());
        Assert.Empty(_analyzer.ListNodeUsage());
    }

    [Fact]
    public async Task ListPodUsage_CpuSinceTheSample_DividedByTheWindow()
    {
        var id = await StartAsync("u1", "web");
        _pods.Set(new V1Pod { Metadata = new V1ObjectMeta { Uid = "u1", Name = "web-1", NamespaceProperty = "shop", Labels = new Dictionary<string, string> { ["app"] = "web" } } });
        _source.Cpu[id] = 1_000_000_000;
        await _analyzer.SampleAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));
        _source.Cpu[id] = 3_000_000_000L; // two CPU-seconds in four seconds: half a core
        _source.Memory = 5 << 20;

        var pod = Assert.Single(_analyzer.ListPodUsage());

        Assert.Equal(("shop", "web-1", "web"), (pod.Namespace, pod.Name, pod.Labels["app"]));
        Assert.Equal(TimeSpan.FromSeconds(4), pod.Window);
        Assert.Equal(_time.GetUtcNow(), pod.Timestamp);
        Assert.Equal(new ContainerUsage("web", 500_000_000, 5 << 20), Assert.Single(pod.Containers));
    }

    [Fact]
    public async Task ListPodUsage_JustAfterASample_UsesThePreviousOne()
    {
        var id = await StartAsync("u1", "web");
        _source.Cpu[id] = 0;
        await _analyzer.SampleAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        _source.Cpu[id] = 5_000_000_000;
        await _analyzer.SampleAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _source.Cpu[id] = 5_500_000_000;

        var pod = Assert.Single(_analyzer.ListPodUsage());

        Assert.Equal(TimeSpan.FromSeconds(5.5), pod.Window);
        Assert.Equal(1_000_000_000, pod.Containers[0].NanoCores);
    }

    [Fact]
    public async Task ListPodUsage_PodUnknownToThePodManager_NamedFromContainerLabels()
    {
        var id = await StartAsync("u2", "db");
        _source.Cpu[id] = 0;
        await _analyzer.SampleAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));

        var pod = Assert.Single(_analyzer.ListPodUsage());

        Assert.Equal(("default", "pod-u2"), (pod.Namespace, pod.Name));
        Assert.Empty(pod.Labels);
    }

    [Fact]
    public async Task SampleAsync_ContainerExited_Forgotten()
    {
        var id = await StartAsync("u1", "web");
        _source.Cpu[id] = 0;
        await _analyzer.SampleAsync(CancellationToken.None);
        _runtime.Exit(id, 0);
        _time.Advance(TimeSpan.FromSeconds(5));
        await _analyzer.SampleAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Empty(_analyzer.ListPodUsage());
    }

    [Fact]
    public async Task ListNodeUsage_BusyTimeOverTheWindow()
    {
        _source.NodeCpu = 10_000_000_000;
        await _analyzer.SampleAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        _source.NodeCpu = 13_000_000_000;

        var node = Assert.Single(_analyzer.ListNodeUsage());

        Assert.Equal(("vm", 1_500_000_000L, 1L << 30), (node.NodeName, node.NanoCores, node.MemoryBytes));
    }

    [Fact]
    public async Task InDemand_OnlyWithinTheWindowAfterARequest()
    {
        Assert.False(_analyzer.InDemand);
        var request = _analyzer.ListNodeUsageAsync(CancellationToken.None);
        await AdvanceUntilAsync(request);

        Assert.True(_analyzer.InDemand);
        _time.Advance(ResourceAnalyzer.DemandWindow);
        Assert.False(_analyzer.InDemand);
    }

    [Fact]
    public async Task ListPodUsageAsync_QuietNode_SamplesAtOnceAndAnswersAWindowLater()
    {
        var id = await StartAsync("u1", "web");
        _source.Cpu[id] = 0;

        var request = _analyzer.ListPodUsageAsync(CancellationToken.None);
        var concurrent = _analyzer.ListPodUsageAsync(CancellationToken.None);
        Assert.False(request.IsCompleted);
        _source.Cpu[id] = 1_000_000_000;
        await AdvanceUntilAsync(request);

        var pod = Assert.Single(await request);
        Assert.True(pod.Window >= ResourceAnalyzer.MinimumWindow, pod.Window.ToString());
        Assert.Single(await concurrent);
    }

    // The priming sample runs on the thread pool before its delay starts: step the fake clock until the request ends.
    private async Task AdvanceUntilAsync(Task request) =>
        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            return request.IsCompleted;
        }, because: "the priming sample's window has passed");

    private async Task<ContainerId> StartAsync(string podUid, string name)
    {
        var id = await _runtime.CreateContainerAsync(new ContainerConfig
        {
            PodUid = podUid, PodNamespace = "default", PodName = "pod-" + podUid, ContainerName = name, Argv = ["sleep", "1"],
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.PodNamespace] = "default", [ContainerLabels.PodName] = "pod-" + podUid, [ContainerLabels.PodUid] = podUid,
            },
        });
        await _runtime.StartContainerAsync(id);
        return id;
    }

    private sealed class ScriptedSource : IStatsSource
    {
        public Dictionary<ContainerId, long> Cpu { get; } = [];

        public long Memory { get; set; } = 1 << 20;

        public long NodeCpu { get; set; }

        public ContainerReading? ReadContainer(ContainerStatus container) =>
            Cpu.TryGetValue(container.Id, out var cpu) && container.State == ContainerState.Running ? new ContainerReading(cpu, Memory) : null;

        public NodeReading? ReadNode() => new NodeReading(NodeCpu, 1L << 30);
    }
}
