using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.Kubelet.Node;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet.Node;

public sealed partial class NodeLeaseHeartbeatTests : IAsyncDisposable
{
    private readonly NodeTestApi _api = new();

    public ValueTask DisposeAsync() => _api.DisposeAsync();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")]
    private static partial Regex MicroTimePattern();

    private NodeLeaseHeartbeat Heartbeat() => new(_api.Api, NodeTestApi.Options(), _api.Time, NullLogger<NodeLeaseHeartbeat>.Instance);

    private Task<JsonObject> LeaseAsync() => _api.Api.GetAsync(KindRegistry.Leases, NodeLeaseHeartbeat.LeaseNamespace, "node-a");

    [Fact]
    public async Task Sync_NoLease_CreatesOwnedLeaseWithMicroTime()
    {
        var node = await _api.Api.CreateAsync(KindRegistry.Nodes, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "node-a" } });

        Assert.True(await Heartbeat().SyncAsync(CancellationToken.None).DefaultTimeout());

        var lease = await LeaseAsync();
        Assert.Equal("node-a", lease.GetString("spec", "holderIdentity"));
        Assert.Equal(40, lease.GetLong("spec", "leaseDurationSeconds"));
        Assert.Equal("2026-03-04T05:06:07.123456Z", lease.GetString("spec", "renewTime"));
        Assert.Matches(MicroTimePattern(), lease.GetString("spec", "renewTime"));
        var owner = lease.GetArray("metadata", "ownerReferences")![0]!.AsObject();
        Assert.Equal(("v1", "Node", "node-a", node.GetUid()), (owner.GetString("apiVersion"), owner.GetString("kind"), owner.GetString("name"), owner.GetString("uid")));
    }

    [Fact]
    public async Task Sync_NodeNotYetRegistered_AddsOwnerOnLaterRenewal()
    {
        var heartbeat = Heartbeat();
        await heartbeat.SyncAsync(CancellationToken.None).DefaultTimeout();
        Assert.Null((await LeaseAsync()).GetArray("metadata", "ownerReferences"));
        await _api.Api.CreateAsync(KindRegistry.Nodes, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "node-a" } });
        _api.Time.Advance(TimeSpan.FromSeconds(10));

        await heartbeat.SyncAsync(CancellationToken.None).DefaultTimeout();

        Assert.Single((await LeaseAsync()).GetArray("metadata", "ownerReferences")!);
    }

    [Fact]
    public async Task Sync_LeaseChangedByOthers_RereadsAndRenews()
    {
        var heartbeat = Heartbeat();
        await heartbeat.SyncAsync(CancellationToken.None).DefaultTimeout();
        var lease = await LeaseAsync();
        lease.SetPath("someone-else", "spec", "holderIdentity");
        await _api.Api.UpdateAsync(KindRegistry.Leases, NodeLeaseHeartbeat.LeaseNamespace, lease);
        _api.Time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(await heartbeat.SyncAsync(CancellationToken.None).DefaultTimeout());

        lease = await LeaseAsync();
        Assert.Equal("node-a", lease.GetString("spec", "holderIdentity"));
        Assert.Equal(NodeFormats.MicroTime(_api.Time.GetUtcNow()), lease.GetString("spec", "renewTime"));
    }

    [Fact]
    public async Task RunAsync_RenewsEveryTenSeconds()
    {
        using var cts = new CancellationTokenSource();
        var run = Heartbeat().RunAsync(cts.Token);
        await AsyncTestHelpers.WaitUntilAsync(() => _api.Time.TimersCreated >= 1);
        var first = NodeFormats.ParseTime((await LeaseAsync()).GetString("spec", "renewTime"))!.Value;

        for (var i = 1; i <= 3; i++)
        {
            _api.Time.Advance(TimeSpan.FromSeconds(9));
            Assert.Equal(first + TimeSpan.FromSeconds(10 * (i - 1)), NodeFormats.ParseTime((await LeaseAsync()).GetString("spec", "renewTime")));
            _api.Time.Advance(TimeSpan.FromSeconds(1));
            await AsyncTestHelpers.WaitUntilAsync(() => _api.Time.TimersCreated >= i + 1);
            Assert.Equal(first + TimeSpan.FromSeconds(10 * i), NodeFormats.ParseTime((await LeaseAsync()).GetString("spec", "renewTime")));
        }

        await cts.CancelAsync();
        await run.DefaultTimeout();
    }

    [Fact]
    public async Task RunAsync_RenewalFails_RetriesAfterBackoffInsteadOfFullInterval()
    {
        var time = new CountingTimeProvider(NodeTestApi.Start);
        var api = new FakeApiClient(time);
        var failures = 2;
        api.Interceptor = a => a.Kind == KindRegistry.Leases && Interlocked.Decrement(ref failures) >= 0 ? ApiErrors.Internal("etcd down") : null;
        var heartbeat = new NodeLeaseHeartbeat(api, NodeTestApi.Options(), time, NullLogger<NodeLeaseHeartbeat>.Instance);
        using var cts = new CancellationTokenSource();
        var run = heartbeat.RunAsync(cts.Token);

        await AsyncTestHelpers.WaitUntilAsync(() => time.TimersCreated >= 1);
        time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.Equal(1, api.CountActions("get", KindRegistry.Leases));
        time.Advance(TimeSpan.FromMilliseconds(1));
        await AsyncTestHelpers.WaitUntilAsync(() => time.TimersCreated >= 2);
        Assert.Equal(2, api.CountActions("get", KindRegistry.Leases));
        time.Advance(TimeSpan.FromMilliseconds(400));

        await AsyncTestHelpers.WaitUntilAsync(() => api.CountActions("create", KindRegistry.Leases) >= 1);
        await cts.CancelAsync();
        await run.DefaultTimeout();
    }
}
