using System.Text.Json.Nodes;
using Berth.Controllers.DaemonSet;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Time.Testing;
using static Berth.UnitTests.Controllers.DaemonSet.DaemonSetObjects;

namespace Berth.UnitTests.Controllers.DaemonSet;

public sealed class DaemonSetHistoryTests : IAsyncDisposable
{
    private readonly DaemonSetTestHost _host = new(new FakeTimeProvider(DateTimeOffset.UtcNow));

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private async Task<IReadOnlyList<JsonObject>> RevisionsAsync() =>
        [.. (await _host.Api.ListAsync(KindRegistry.ControllerRevisions, DaemonSetTestHost.Ns)).Items.OrderBy(r => r.GetLong("revision"))];

    private static string Image(JsonObject revision) =>
        revision["data"]!["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>();

    private async Task StartAsync(JsonObject ds)
    {
        await _host.CreateNodeAsync("n1");
        _host.Run();
        await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, ds);
        await _host.WaitUntilAsync(async () => (await RevisionsAsync()).Count == 1 && (await _host.PodsAsync()).Count == 1);
    }

    [Fact]
    public async Task Sync_NewDaemonSet_StoresRevisionOneAndLabelsPodsWithItsHash()
    {
        var ds = await _host.Api.CreateAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, NewDaemonSet("agent"));
        await _host.CreateNodeAsync("n1");
        _host.Run();
        await _host.WaitUntilAsync(async () => (await RevisionsAsync()).Count == 1 && (await _host.PodsAsync()).Count == 1);

        var revision = (await RevisionsAsync()).Single();
        var hash = revision.GetString("metadata", "labels", DaemonSetUtil.ControllerRevisionHashLabel)!;
        Assert.Equal("agent-" + hash, revision.GetName());
        Assert.Equal(1, revision.GetLong("revision"));
        Assert.Equal("agent", revision.GetString("metadata", "labels", "app"));
        Assert.Equal(ds.GetUid(), OwnerReferences.GetControllerOf(revision)!.GetString("uid"));
        Assert.Equal("replace", revision["data"]!["spec"]!["template"]!["$patch"]!.GetValue<string>());
        Assert.Equal(hash, DaemonSetTestHost.HashOf((await _host.PodsAsync()).Single()));
    }

    [Fact]
    public async Task Sync_TemplateChangedThenUndone_RenumbersTheOldRevision()
    {
        await StartAsync(NewDaemonSet("agent"));
        var first = (await RevisionsAsync()).Single();

        await _host.UpdateDaemonSetAsync("agent", d => SetImage(d, "busybox:1.37"));
        await _host.WaitUntilAsync(async () => (await RevisionsAsync()).Count == 2);

        await _host.Api.PatchAsync(KindRegistry.DaemonSets, DaemonSetTestHost.Ns, "agent", PatchType.StrategicMerge, first["data"]!.DeepClone());

        await _host.WaitUntilAsync(async () => (await RevisionsAsync()) is [_, var latest] && latest.GetName() == first.GetName(), "revision 1 became 3");
        var revisions = await RevisionsAsync();
        Assert.Equal([2L, 3L], revisions.Select(r => r.GetLong("revision") ?? 0));
        Assert.Equal("busybox:1.36", Image(revisions[1]));
        var ds = await _host.DaemonSetAsync("agent");
        Assert.Equal("busybox:1.36", ds["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sync_RevisionHistoryLimit_DeletesOldestRevisionNoPodUses()
    {
        var ds = NewDaemonSet("agent", strategy: OnDelete());
        ds["spec"]!["revisionHistoryLimit"] = 1;
        await StartAsync(ds);

        await _host.UpdateDaemonSetAsync("agent", d => SetImage(d, "busybox:1.37"));
        await _host.WaitUntilAsync(async () => (await RevisionsAsync()).Count == 2);
        await _host.UpdateDaemonSetAsync("agent", d => SetImage(d, "busybox:1.38"));

        await _host.WaitUntilAsync(async () => (await RevisionsAsync()).Select(Image).SequenceEqual(["busybox:1.36", "busybox:1.38"]),
            "revision 2 goes; revision 1 stays because the (OnDelete) pod still runs it");
    }
}
