using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Berth.UnitTests.Kubelet.Node;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers;

/// <summary>
/// Controllers over the real registry (default strategies) and an in-memory store, with namespace <see cref="Ns"/>.
/// A derived host adds its controllers with <see cref="Add{T}"/> and then calls <see cref="StartInformers"/>; the test
/// plays the kubelet. With a <see cref="FakeTimeProvider"/>, every poll of <see cref="WaitUntilAsync"/> advances the
/// clock, so that queue back-offs and deadline requeues fire.
/// </summary>
internal abstract class ControllerHostBase : IAsyncDisposable
{
    public const string Ns = "default";

    /// <summary>How long a wait polls: a rollout is many writes, and a loaded machine stretches back-off after conflicts.</summary>
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly InMemoryResourceStore _store = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];
    private readonly List<IDisposable> _controllers = [];

    protected ControllerHostBase(FakeTimeProvider? fakeTime)
    {
        FakeTime = fakeTime;
        Time = fakeTime ?? TimeProvider.System;
        Api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), Time);
        Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } }).GetAwaiter().GetResult();
        Informers = new SharedInformerFactory(Api, Time, NullLoggerFactory.Instance);
    }

    public FakeTimeProvider? FakeTime { get; }

    public TimeProvider Time { get; }

    public ApiRegistry Api { get; }

    public SharedInformerFactory Informers { get; }

    public RecordingEventRecorder Events { get; } = new();

    /// <summary>Runs <paramref name="controller"/> with one worker until the host is disposed, which also disposes it.</summary>
    protected T Add<T>(T controller)
        where T : Berth.Controllers.ControllerBase
    {
        _controllers.Add(controller);
        _runs.Add(controller.RunAsync(1, _stop.Token));
        return controller;
    }

    /// <summary>Starts the shared informers; call once, after every controller registered its handlers.</summary>
    protected void StartInformers() => Informers.Start(_stop.Token);

    /// <summary>Polls <paramref name="condition"/> for up to 30 s; with a fake clock, advances it <paramref name="step"/> (20 ms) per poll.</summary>
    public Task WaitUntilAsync(Func<Task<bool>> condition, string? because = null, TimeSpan? step = null) =>
        AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            FakeTime?.Advance(step ?? TimeSpan.FromMilliseconds(20));
            return await condition();
        }, WaitLimit, because);

    public Task WaitUntilAsync(Func<bool> condition, string? because = null) => WaitUntilAsync(() => Task.FromResult(condition()), because);

    public async Task<IReadOnlyList<JsonObject>> ListAsync(ResourceKind kind, string? labelSelector = null) =>
        (await Api.ListAsync(kind, Ns, new ListOptions(LabelSelector: labelSelector))).Items;

    public Task<JsonObject> GetAsync(ResourceKind kind, string name) => Api.GetAsync(kind, Ns, name);

    public Task<bool> ExistsAsync(ResourceKind kind, string name) => Api.ExistsAsync(kind, Ns, name);

    /// <summary>Deletes terminating pods for good (grace 0), as the kubelet does once their containers stopped.</summary>
    public async Task FinishTerminatingAsync()
    {
        foreach (var pod in await ListAsync(KindRegistry.Pods))
        {
            if (pod.GetString("metadata", "deletionTimestamp") is not null)
            {
                try
                {
                    await Api.DeleteAsync(KindRegistry.Pods, Ns, pod.GetName()!, new DeleteOptions(GracePeriodSeconds: 0));
                }
                catch (ApiException e) when (e.Code == 404)
                {
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_runs).DefaultTimeout();
        await Informers.DisposeAsync();
        _controllers.ForEach(c => c.Dispose());
        _stop.Dispose();
        await _store.DisposeAsync();
    }
}
