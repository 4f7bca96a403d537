using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Registry.Core.Pods;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Pods;

/// <summary>Pod-start flow control: seats, first-come-first-served waits, hold timeouts, and the registry's writes that take and free seats.</summary>
public sealed class PodStartQueueTests
{
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    private static JsonObject Pod(string name, string? node = null)
    {
        var pod = Parse("""{"metadata":{"namespace":"default"},"spec":{"containers":[{"name":"app","image":"i","command":["sleep"]}]}}""");
        pod["metadata"]!["name"] = name;
        if (node is not null)
        {
            pod["spec"]!["nodeName"] = node;
        }
        return pod;
    }

    private PodStartQueue Queue(int limit) => new(limit, "local", _time, Hold);

    [Fact]
    public async Task FullQueue_CreatesWaitInArrivalOrder_UntilAPodIsTakenUp()
    {
        var queue = Queue(2);
        var a = await queue.AcquireAsync(Pod("a"), default);
        var b = await queue.AcquireAsync(Pod("b", "local"), default);
        queue.Hold(a!, "uid-a");
        queue.Hold(b!, "uid-b");

        var c = queue.AcquireAsync(Pod("c"), default).AsTask();
        var d = queue.AcquireAsync(Pod("d"), default).AsTask();
        Assert.Equal((2, 2), (queue.InUse, queue.Waiting));
        Assert.False(c.IsCompleted);

        queue.Release("uid-a");
        var seatC = await c.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(seatC);
        Assert.False(d.IsCompleted);

        queue.Release("uid-b");
        queue.Release("uid-b");
        Assert.NotNull(await d.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((2, 0, 2L), (queue.InUse, queue.Waiting, queue.Queued));
    }

    [Fact]
    public async Task PodsForAnotherNode_NeverTakeASeat()
    {
        var queue = Queue(1);
        Assert.NotNull(await queue.AcquireAsync(Pod("a"), default));

        var other = queue.AcquireAsync(Pod("b", "elsewhere"), default);

        Assert.True(other.IsCompletedSuccessfully);
        Assert.Null(await other);
        Assert.Equal(1, queue.InUse);
    }

    [Fact]
    public async Task ASeatNotTakenUp_ExpiresAfterTheHoldTimeout_AndTheQueueStaysOpenForOneMore()
    {
        var queue = Queue(1);
        queue.Hold((await queue.AcquireAsync(Pod("a"), default))!, "uid-a");
        var waiting = queue.AcquireAsync(Pod("b"), default).AsTask();

        _time.Advance(Hold - TimeSpan.FromMilliseconds(1));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var seat = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1L, queue.Expired);
        Assert.NotNull(seat);
        var open = queue.AcquireAsync(Pod("c"), default);
        Assert.True(open.IsCompletedSuccessfully);
        Assert.Null(await open);

        _time.Advance(Hold);
        var closed = queue.AcquireAsync(Pod("d"), default);
        Assert.False(closed.IsCompleted);
    }

    [Fact]
    public async Task AWaitLongerThanTheHoldTimeout_GoesAheadWithoutASeat()
    {
        var queue = Queue(1);
        Assert.NotNull(await queue.AcquireAsync(Pod("a"), default));
        var waited = new List<TimeSpan>();
        queue.Waited = waited.Add;

        var waiting = queue.AcquireAsync(Pod("b"), default).AsTask();
        _time.Advance(Hold);

        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([Hold], waited);
        Assert.Equal((1, 0), (queue.InUse, queue.Waiting));
    }

    [Fact]
    public async Task ACancelledWait_LeavesTheQueue()
    {
        var queue = Queue(1);
        Assert.NotNull(await queue.AcquireAsync(Pod("a"), default));
        using var cancel = new CancellationTokenSource();

        var waiting = queue.AcquireAsync(Pod("b"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((1, 0), (queue.InUse, queue.Waiting));
    }

    [Fact]
    public async Task Registry_ACreateTakesASeat_TheFirstStatusWriteOrADeleteFreesIt()
    {
        var queue = Queue(8);
        var api = await ApiWithNamespaceAsync(queue);

        var a = await api.CreateAsync(KindRegistry.Pods, "default", Pod("a"));
        var b = await api.CreateAsync(KindRegistry.Pods, "default", Pod("b"));
        await api.CreateAsync(KindRegistry.Pods, "default", Pod("c", "elsewhere"));
        await api.CreateAsync(KindRegistry.Pods, "default", Pod("dry"), new WriteOptions(DryRun: true));
        Assert.Equal(2, queue.InUse);

        a["status"] = Parse("""{"phase":"Pending","hostIP":"127.0.0.1"}""");
        await api.UpdateAsync(KindRegistry.Pods, "default", a, "status");
        Assert.Equal(1, queue.InUse);

        await api.DeleteAsync(KindRegistry.Pods, "default", b.GetName()!);
        Assert.Equal(0, queue.InUse);

        await api.CreateAsync(KindRegistry.Pods, "default", Pod("d"));
        Assert.Equal(1, queue.InUse);
        await api.DeleteCollectionAsync(KindRegistry.Pods, "default", null, null);
        Assert.Equal(0, queue.InUse);
    }

    [Fact]
    public async Task Registry_ARefusedCreate_GivesItsSeatBack()
    {
        var queue = Queue(1);
        var api = await ApiWithNamespaceAsync(queue);
        await api.CreateAsync(KindRegistry.Pods, "default", Pod("a"));
        var invalid = Pod("b");
        invalid["spec"]!["containers"] = new JsonArray();
        queue.Release((await api.GetAsync(KindRegistry.Pods, "default", "a")).GetUid());

        var e = await Assert.ThrowsAsync<ApiException>(() => api.CreateAsync(KindRegistry.Pods, "default", invalid));
        var duplicate = await Assert.ThrowsAsync<ApiException>(() => api.CreateAsync(KindRegistry.Pods, "default", Pod("a")));

        Assert.Equal((422, 409), (e.Code, duplicate.Code));
        Assert.Equal(0, queue.InUse);
    }

    private async Task<ApiRegistry> ApiWithNamespaceAsync(PodStartQueue queue)
    {
        var api = new ApiRegistry(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), _time, new RegistryOptions { PodStarts = queue });
        await api.CreateAsync(KindRegistry.Namespaces, null, Parse("""{"metadata":{"name":"default"}}"""));
        return api;
    }
}
