using Berth.Client.Informers;
using Berth.Client.WorkQueues;
using Berth.Controllers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Client.Controllers;

public sealed class ControllerBaseTests
{
    private static readonly ObjectKey Key = new("a", "p1");
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task ProcessNextWorkItem_SyncSucceeds_ForgetsTheKey()
    {
        using var controller = new TestController(_time, _logger, _ => Task.CompletedTask);
        controller.Add(Key);

        Assert.True(await controller.ProcessNextWorkItemAsync(CancellationToken.None).DefaultTimeout());

        Assert.Equal([Key], controller.Synced);
        Assert.Equal(0, controller.Requeues(Key));
        Assert.Equal(0, controller.QueueLen);
    }

    [Fact]
    public async Task ProcessNextWorkItem_SyncFails_RequeuesWithExponentialBackoff()
    {
        using var controller = new TestController(_time, _logger, _ => throw new InvalidOperationException("boom"));
        controller.Add(Key);

        await controller.ProcessNextWorkItemAsync(CancellationToken.None).DefaultTimeout();
        Assert.Equal(1, controller.Requeues(Key));
        _time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(0, controller.QueueLen);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, controller.QueueLen);

        await controller.ProcessNextWorkItemAsync(CancellationToken.None).DefaultTimeout();
        _time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(0, controller.QueueLen);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, controller.QueueLen);
        Assert.Equal(2, controller.Requeues(Key));
        Assert.Equal(2002, _logger.LatestRecord.Id.Id);
    }

    [Fact]
    public async Task ProcessNextWorkItem_SyncConflicts_RequeuesAndLogsAtDebugWithoutStack()
    {
        using var controller = new TestController(_time, _logger,
            _ => throw Berth.Machinery.Errors.ApiErrors.Conflict(KindRegistry.Deployments, "web", "the object has been modified"));
        controller.Add(Key);

        await controller.ProcessNextWorkItemAsync(CancellationToken.None).DefaultTimeout();

        Assert.Equal(1, controller.Requeues(Key));
        Assert.Equal(2005, _logger.LatestRecord.Id.Id);
        Assert.Equal(LogLevel.Debug, _logger.LatestRecord.Level);
        Assert.Null(_logger.LatestRecord.Exception);
    }

    [Fact]
    public async Task ProcessNextWorkItem_FailsBeyondMaxRetries_DropsKeyWithLogEvent()
    {
        using var controller = new TestController(_time, _logger, _ => throw new InvalidOperationException("boom"),
            new ItemExponentialFailureRateLimiter<ObjectKey>(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(1)));
        controller.Add(Key);

        for (var attempt = 0; attempt <= ControllerBase.DefaultMaxRetries; attempt++)
        {
            Assert.Equal(1, controller.QueueLen);
            await controller.ProcessNextWorkItemAsync(CancellationToken.None).DefaultTimeout();
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(16, controller.Synced.Count);
        Assert.Equal(0, controller.QueueLen);
        Assert.Equal(0, controller.Requeues(Key));
        Assert.Equal(2003, _logger.LatestRecord.Id.Id);
        Assert.Equal(LogLevel.Warning, _logger.LatestRecord.Level);
    }

    [Fact]
    public async Task RunAsync_InformerNotSynced_WaitsBeforeSyncing()
    {
        var api = new FakeApiClient(_time);
        api.Seed(KindRegistry.Pods, ClientTestObjects.Pod("a", "p1"));
        var informer = new SharedInformer(api, KindRegistry.Pods, null, _time, NullLoggerFactory.Instance);
        var synced = new TaskCompletionSource<ObjectKey>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var controller = new TestController(_time, _logger, k => { synced.TrySetResult(k); return Task.CompletedTask; }, informers: [informer]);
        informer.AddEventHandler(new ResourceEventHandlerFuncs { AddFunc = (o, _) => controller.Add(ObjectKeys.KeyOf(o)) });
        using var stop = new CancellationTokenSource();

        var run = controller.RunAsync(2, stop.Token);
        Assert.False(synced.Task.IsCompleted);
        var informerRun = Task.Run(() => informer.RunAsync(stop.Token));

        Assert.Equal(Key, await synced.Task.DefaultTimeout());
        await stop.CancelAsync();
        await run.DefaultTimeout();
        await informerRun.DefaultTimeout();
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsWorkers()
    {
        using var controller = new TestController(_time, _logger, _ => Task.CompletedTask);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(3, stop.Token);
        controller.Add(Key);
        await AsyncTestHelpers.WaitUntilAsync(() => controller.Synced.Count == 1);

        await stop.CancelAsync();

        await run.DefaultTimeout();
    }

    private sealed class TestController(
        TimeProvider time, ILogger logger, Func<ObjectKey, Task> sync, IRateLimiter<ObjectKey>? limiter = null,
        IReadOnlyList<ISharedInformer>? informers = null)
        : ControllerBase("test", informers ?? [], time, logger, limiter)
    {
        private readonly List<ObjectKey> _synced = [];

        public IReadOnlyList<ObjectKey> Synced
        {
            get
            {
                lock (_synced)
                {
                    return [.. _synced];
                }
            }
        }

        public int QueueLen => Queue.Len;

        public void Add(ObjectKey key) => Enqueue(key);

        public int Requeues(ObjectKey key) => Queue.NumRequeues(key);

        protected override Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            lock (_synced)
            {
                _synced.Add(key);
            }
            return sync(key);
        }
    }
}
