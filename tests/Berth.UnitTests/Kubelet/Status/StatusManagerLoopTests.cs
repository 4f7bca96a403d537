using System.Text.Json.Nodes;
using Berth.Kubelet.Status;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Testing;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>The write loop starts each pod's write at once, never waits for other pods' writes, and backs off a failing pod.</summary>
public sealed class StatusManagerLoopTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeApiClient _api;
    private readonly Dictionary<string, V1Pod> _pods = [];

    public StatusManagerLoopTests()
    {
        _api = new FakeApiClient(_time);
        foreach (var name in new[] { "a", "b" })
        {
            var pod = ApiJson.ToModel<V1Pod>(_api.Seed(KindRegistry.Pods, TestPods.Pod(name).ToJson()));
            _pods[name] = pod;
        }
    }

    [Fact]
    public async Task RunAsync_OnePodsWriteStuck_AnotherPodsLaterStatusIsWrittenMeanwhile()
    {
        var gated = new OnePodGatedApiClient(_api, "a");
        var manager = Manager(gated);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        manager.SetPodStatus(_pods["a"], Running());
        await AsyncTestHelpers.WaitUntilAsync(() => gated.Held, because: "pod a's write waits at the gate");
        manager.SetPodStatus(_pods["b"], Running());
        await AsyncTestHelpers.WaitUntilAsync(() => Phase("b") == "Running", because: "pod b is written while a's write is stuck");
        Assert.Equal("Pending", Phase("a"));

        gated.Release();
        await AsyncTestHelpers.WaitUntilAsync(() => Phase("a") == "Running");
        stop.Cancel();
        await loop.DefaultTimeout();
    }

    [Fact]
    public async Task RunAsync_StatusChangesWhileItsPodIsBeingWritten_NewestWrittenAfterwardsNeverTwoAtOnce()
    {
        var gated = new OnePodGatedApiClient(_api, "a");
        var manager = Manager(gated);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        manager.SetPodStatus(_pods["a"], Running());
        await AsyncTestHelpers.WaitUntilAsync(() => gated.Held);
        manager.SetPodStatus(_pods["a"], Running("second"));
        gated.Release();

        await AsyncTestHelpers.WaitUntilAsync(() => Message("a") == "second", because: "the status cached during the write follows it");
        Assert.Equal(1, gated.MaxConcurrent);
        stop.Cancel();
        await loop.DefaultTimeout();
    }

    [Fact]
    public async Task RunAsync_WriteFails_NotRetriedBeforeTheRetryDelayThenWritten()
    {
        var failures = 1;
        _api.Interceptor = a => a.Verb == "patch" && Interlocked.Decrement(ref failures) >= 0 ? ApiErrors.Internal("store down") : null;
        var manager = Manager(_api);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        manager.SetPodStatus(_pods["a"], Running());
        await AsyncTestHelpers.WaitUntilAsync(() => _api.CountActions("patch") == 1, because: "the first write is tried and fails");
        manager.SetPodStatus(_pods["b"], Running());
        await AsyncTestHelpers.WaitUntilAsync(() => Phase("b") == "Running", because: "other pods' writes go on");
        Assert.Equal(2, _api.CountActions("patch"));

        await AsyncTestHelpers.WaitUntilAsync(() =>
        {
            _time.Advance(TimeSpan.FromMilliseconds(250));
            return Phase("a") == "Running";
        }, because: "the failed pod is retried once its retry delay passed");
        Assert.Equal(3, _api.CountActions("patch"));
        stop.Cancel();
        await loop.DefaultTimeout();
    }

    [Fact]
    public async Task RunAsync_PodGoneFromTheApi_NotTriedAgainInALoopButAfterTheRetryDelay()
    {
        var gone = TestPods.Pod("gone");
        gone.Metadata.Uid = "uid-gone";
        _pods["gone"] = gone;
        var manager = Manager(_api);
        using var stop = new CancellationTokenSource();
        var loop = manager.RunAsync(stop.Token);

        manager.SetPodStatus(gone, Running());
        await AsyncTestHelpers.WaitUntilAsync(() => Calls("gone") == 1, because: "the write finds the pod gone");
        manager.SetPodStatus(_pods["a"], Running());
        await AsyncTestHelpers.WaitUntilAsync(() => Phase("a") == "Running", because: "the end of a's write wakes the loop again");
        Assert.Equal(1, Calls("gone"));

        _time.Advance(StatusManager.WriteRetryDelay);
        await AsyncTestHelpers.WaitUntilAsync(() => Calls("gone") == 2, because: "the gone pod is tried again once the retry delay passed");
        stop.Cancel();
        await loop.DefaultTimeout();
    }

    private int Calls(string name) => _api.Actions.Count(a => a.Verb is "get" or "patch" && a.Name == name);

    private StatusManager Manager(IApiClient api)
    {
        var manager = new StatusManager(api, _time, NullLogger<StatusManager>.Instance, TimeSpan.FromSeconds(10), maxConcurrentWrites: 4);
        manager.Bind(uid => _pods.Values.FirstOrDefault(p => p.Metadata.Uid == uid), _ => true);
        return manager;
    }

    private string? Phase(string name) => Api(name).Status?.Phase ?? "Pending";

    private string? Message(string name) => Api(name).Status?.Message;

    private V1Pod Api(string name) => ApiJson.ToModel<V1Pod>(_api.GetAsync(KindRegistry.Pods, "default", name).GetAwaiter().GetResult());

    private static V1PodStatus Running(string? message = null) => new()
    {
        Phase = "Running",
        Message = message,
        Conditions = [PodConditions.Condition("Ready", true), PodConditions.Condition("PodScheduled", true)],
    };

    /// <summary>Holds PATCHes of one pod until <see cref="Release"/>; counts how many of them ran at once.</summary>
    private sealed class OnePodGatedApiClient(IApiClient inner, string gatedPod) : DelegatingApiClient(inner)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _concurrent;
        private int _maxConcurrent;
        private volatile bool _held;

        public bool Held => _held;

        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

        public void Release() => _open.TrySetResult();

        public override async Task<JsonObject> PatchAsync(ResourceKind kind, string? ns, string name, PatchType type, JsonNode patch,
            string? subresource = null, WriteOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (name != gatedPod)
            {
                return await Inner.PatchAsync(kind, ns, name, type, patch, subresource, options, cancellationToken);
            }

            var now = Interlocked.Increment(ref _concurrent);
            if (now > Volatile.Read(ref _maxConcurrent))
            {
                Volatile.Write(ref _maxConcurrent, now);
            }

            try
            {
                _held = true;
                await _open.Task.WaitAsync(cancellationToken);
                return await Inner.PatchAsync(kind, ns, name, type, patch, subresource, options, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _concurrent);
            }
        }
    }
}
