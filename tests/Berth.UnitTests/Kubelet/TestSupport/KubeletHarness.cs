using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using KubeletAgent = Berth.Kubelet.Kubelet;
using KubeletConfig = Berth.Kubelet.KubeletOptions;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>
/// A whole node agent on fakes: <see cref="FakeApiClient"/>, <see cref="FakeContainerRuntime"/>, fake volumes and
/// network, recorded events, all on one <see cref="FakeTimeProvider"/>. <see cref="StartAsync"/> runs the agent's
/// main loop; <see cref="DisposeAsync"/> stops it.
/// </summary>
internal sealed class KubeletHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    /// <summary>Everything on a fake clock with a <see cref="FakeContainerRuntime"/>.</summary>
    public KubeletHarness()
        : this(new FakeTimeProvider(T0), null)
    {
    }

    /// <summary>
    /// On <paramref name="clock"/> with <paramref name="runtime"/> (a fake runtime on the clock when null), a real
    /// <paramref name="volumes"/> manager instead of <see cref="Volumes"/> when given, and the agent's root directory.
    /// </summary>
    public KubeletHarness(TimeProvider clock, IContainerRuntime? runtime, IVolumeManager? volumes = null, string? rootDirectory = null)
    {
        Clock = clock;
        Api = new FakeApiClient(clock);
        RecordingApi = new DeleteRecordingApiClient(Api);
        ContainerRuntime = runtime ?? new FakeContainerRuntime(clock);
        Events = new RecordingEventRecorder(clock);
        Options = new KubeletConfig { NodeName = TestPods.Node, RootDirectory = rootDirectory ?? Path.GetTempPath() };
        Kubelet = new KubeletAgent(Options, RecordingApi, ContainerRuntime, volumes ?? Volumes, Network, Events, clock, NullLoggerFactory.Instance);
    }

    public TimeProvider Clock { get; }

    /// <summary>The clock as a fake one (tests on fake time only).</summary>
    public FakeTimeProvider Time => (FakeTimeProvider)Clock;

    public IContainerRuntime ContainerRuntime { get; }

    public FakeApiClient Api { get; }

    /// <summary>The agent's view of <see cref="Api"/>, recording deletes with their options.</summary>
    public DeleteRecordingApiClient RecordingApi { get; }

    /// <summary>The runtime as the fake one (tests on the fake runtime only).</summary>
    public FakeContainerRuntime Runtime => (FakeContainerRuntime)ContainerRuntime;

    public FakeVolumeManager Volumes { get; } = new();

    public FakePodNetwork Network { get; } = new();

    public RecordingEventRecorder Events { get; }

    public KubeletConfig Options { get; }

    public KubeletAgent Kubelet { get; }

    public async Task StartAsync()
    {
        _run = Kubelet.RunAsync(_stop.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => Api.Actions.Any(a => a.Verb == "watch"), because: "the pod informer watches");
    }

    public V1Pod Create(V1Pod pod) => ApiJson.ToModel<V1Pod>(Api.Seed(KindRegistry.Pods, pod.ToJson()));

    /// <summary>The API's copy of the pod, or null when it is gone.</summary>
    public V1Pod? Get(string name = "web")
    {
        try
        {
            return ApiJson.ToModel<V1Pod>(Api.GetAsync(KindRegistry.Pods, "default", name).GetAwaiter().GetResult());
        }
        catch (ApiException ex) when (ex.Code == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// What a graceful DELETE does to a bound pod: deletionTimestamp = now + grace, deletionGracePeriodSeconds = grace.
    /// The fake API has no graceful deletion, so a test finalizer keeps the object until the agent's final DELETE
    /// (<see cref="DeleteRecordingApiClient"/> then drops the finalizer, as the real registry would remove the object).
    /// </summary>
    public Task DeleteAsync(string name, long grace) =>
        Api.PatchAsync(KindRegistry.Pods, "default", name, Berth.Registry.PatchType.Merge, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["finalizers"] = new JsonArray(DeleteRecordingApiClient.HoldFinalizer),
                ["deletionTimestamp"] = (Clock.GetUtcNow() + TimeSpan.FromSeconds(grace)).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                ["deletionGracePeriodSeconds"] = grace,
            },
        });

    /// <summary>Removes the pod from the API at once (a force delete).</summary>
    public Task ForceDeleteAsync(string name) => RecordingApi.RemoveAsync(name);

    /// <summary>The API status of the pod's container <paramref name="container"/> (main or init).</summary>
    public V1ContainerStatus? ContainerStatus(string container, string pod = "web") =>
        Get(pod)?.Status?.ContainerStatuses?.Concat(Get(pod)?.Status?.InitContainerStatuses ?? []).FirstOrDefault(c => c.Name == container);

    public Task WaitForRunningAsync(string container = "app", string pod = "web") =>
        Time.AdvanceUntilAsync(() => ContainerStatus(container, pod)?.State?.Running is not null, TimeSpan.FromSeconds(30), because: container + " running in the API");

    /// <summary>The running instance of <paramref name="container"/> in the runtime.</summary>
    public ContainerStatus? RuntimeContainer(string container) => Runtime.Latest(container);

    /// <summary>The newest runtime instance of <paramref name="container"/> (any runtime).</summary>
    public async Task<ContainerStatus?> LatestAsync(string container) =>
        (await ContainerRuntime.ListContainersAsync()).Where(c => c.ContainerName == container).OrderByDescending(c => c.CreatedAt).FirstOrDefault();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.DefaultTimeout();
        }

        await Kubelet.DisposeAsync();
        _stop.Dispose();
    }
}
