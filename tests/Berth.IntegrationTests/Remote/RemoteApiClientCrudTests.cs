using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using static Berth.IntegrationTests.Remote.RemoteClientFixture;

namespace Berth.IntegrationTests.Remote;

/// <summary>Get, list, create, update, patch: the remote client returns what the in-process client returns, errors included.</summary>
public sealed class RemoteApiClientCrudTests(RemoteClientFixture fixture) : IClassFixture<RemoteClientFixture>
{
    private static readonly ResourceKind ConfigMaps = KindRegistry.ConfigMaps;

    [Fact]
    public async Task GetAsync_ExistingObject_SameJsonAsInProcess()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("a", "1")).DefaultTimeout();

        var local = await fixture.Local.GetAsync(ConfigMaps, ns, "a").DefaultTimeout();
        var remote = await fixture.Remote.GetAsync(ConfigMaps, ns, "a").DefaultTimeout();

        Assert.Equal(local.ToJsonString(), remote.ToJsonString());
        Assert.Equal("ConfigMap", remote.GetString("kind"));
    }

    [Fact]
    public async Task GetAsync_Missing_SameNotFound()
    {
        var ns = await fixture.NewNamespaceAsync();

        var (local, remote) = await fixture.BothFailAsync(c => c.GetAsync(ConfigMaps, ns, "missing"));

        AssertSameError(local, remote);
        Assert.Equal(404, remote.Code);
        Assert.Equal("configmaps \"missing\" not found", remote.Message);
    }

    [Fact]
    public async Task CreateAsync_Duplicate_SameAlreadyExists()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("dup", "1")).DefaultTimeout();

        var (local, remote) = await fixture.BothFailAsync(c => c.CreateAsync(ConfigMaps, ns, ConfigMap("dup", "2")));

        AssertSameError(local, remote);
        Assert.Equal(409, remote.Code);
    }

    [Fact]
    public async Task CreateAsync_Invalid_Same422WithCauses()
    {
        var ns = await fixture.NewNamespaceAsync();

        var (local, remote) = await fixture.BothFailAsync(c => c.CreateAsync(ConfigMaps, ns, ConfigMap("Not_Valid", "1")));

        AssertSameError(local, remote);
        Assert.Equal(422, remote.Code);
        Assert.NotEmpty(remote.Details!.Causes);
    }

    [Fact]
    public async Task CreateAsync_DryRun_NothingStored()
    {
        var ns = await fixture.NewNamespaceAsync();

        var created = await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("dry", "1"), new WriteOptions(DryRun: true)).DefaultTimeout();

        Assert.Equal("dry", created.GetName());
        await Assert.ThrowsAsync<Berth.Machinery.Errors.ApiException>(() => fixture.Local.GetAsync(ConfigMaps, ns, "dry")).DefaultTimeout();
    }

    [Fact]
    public async Task UpdateAsync_StaleResourceVersion_SameConflict()
    {
        var ns = await fixture.NewNamespaceAsync();
        var created = await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("u", "1")).DefaultTimeout();
        var updated = ApiJson.Clone(created);
        updated["data"]!["k"] = "2";
        var after = await fixture.Remote.UpdateAsync(ConfigMaps, ns, updated).DefaultTimeout();

        var (local, remote) = await fixture.BothFailAsync(c => c.UpdateAsync(ConfigMaps, ns, ApiJson.Clone(created)));

        Assert.Equal("2", after.GetString("data", "k"));
        AssertSameError(local, remote);
        Assert.Equal(409, remote.Code);
    }

    [Fact]
    public async Task PatchAsync_EveryPatchType_Applied()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("p", "1")).DefaultTimeout();

        await fixture.Remote.PatchAsync(ConfigMaps, ns, "p", PatchType.Merge, JsonNode.Parse("""{"data":{"m":"merge"}}""")!).DefaultTimeout();
        await fixture.Remote.PatchAsync(ConfigMaps, ns, "p", PatchType.StrategicMerge, JsonNode.Parse("""{"data":{"s":"smp"}}""")!).DefaultTimeout();
        await fixture.Remote.PatchAsync(ConfigMaps, ns, "p", PatchType.Json,
            JsonNode.Parse("""[{"op":"replace","path":"/data/k","value":"json"}]""")!).DefaultTimeout();
        var applied = await fixture.Remote.PatchAsync(ConfigMaps, ns, "p", PatchType.Apply,
            JsonNode.Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"p"},"data":{"a":"apply"}}""")!,
            options: new WriteOptions(FieldManager: "remote-test")).DefaultTimeout();

        Assert.Equal("json", applied.GetString("data", "k"));
        Assert.Equal("merge", applied.GetString("data", "m"));
        Assert.Equal("smp", applied.GetString("data", "s"));
        Assert.Equal("apply", applied.GetString("data", "a"));
        Assert.Equal(applied.ToJsonString(), (await fixture.Local.GetAsync(ConfigMaps, ns, "p").DefaultTimeout()).ToJsonString());
    }

    [Fact]
    public async Task PatchAsync_FailingJsonPatchTest_SameError()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("t", "1")).DefaultTimeout();
        var patch = """[{"op":"test","path":"/data/k","value":"other"}]""";

        var (local, remote) = await fixture.BothFailAsync(c => c.PatchAsync(ConfigMaps, ns, "t", PatchType.Json, JsonNode.Parse(patch)!));

        AssertSameError(local, remote);
    }

    [Fact]
    public async Task ListAsync_SelectorAndPaging_SameItemsAsInProcess()
    {
        var ns = await fixture.NewNamespaceAsync();
        for (var i = 0; i < 5; i++)
        {
            var labels = new Dictionary<string, string> { ["tier"] = i % 2 == 0 ? "even" : "odd" };
            await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap($"l{i}", "v", labels)).DefaultTimeout();
        }

        var selected = await fixture.Remote.ListAsync(ConfigMaps, ns, new ListOptions(LabelSelector: "tier=even")).DefaultTimeout();
        var first = await fixture.Remote.ListAsync(ConfigMaps, ns, new ListOptions(Limit: 2)).DefaultTimeout();
        var rest = await fixture.Remote.ListAsync(ConfigMaps, ns, new ListOptions(Limit: 10, Continue: first.Continue)).DefaultTimeout();
        var local = await fixture.Local.ListAsync(ConfigMaps, ns).DefaultTimeout();

        Assert.Equal(["l0", "l2", "l4"], selected.Items.Select(i => i.GetName()));
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.Continue);
        Assert.Null(rest.Continue);
        Assert.Equal(local.Items.Select(i => i.ToJsonString()), first.Items.Concat(rest.Items).Select(i => i.ToJsonString()));
        Assert.All(selected.Items, i => Assert.Null(i.Parent));
    }

    [Fact]
    public async Task ListAsync_BadFieldSelector_SameBadRequest()
    {
        var ns = await fixture.NewNamespaceAsync();

        var (local, remote) = await fixture.BothFailAsync(c => c.ListAsync(ConfigMaps, ns, new ListOptions(FieldSelector: "spec.nonsense=1")));

        AssertSameError(local, remote);
        Assert.Equal(400, remote.Code);
    }
}
