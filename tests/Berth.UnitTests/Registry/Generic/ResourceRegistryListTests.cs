using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ResourceRegistryListTests : IAsyncLifetime
{
    private readonly RegistryTestHost _host = new();

    public async Task InitializeAsync()
    {
        await _host.CreateNamespaceAsync();
        await _host.CreateNamespaceAsync("other");
        for (var i = 0; i < 5; i++)
        {
            var labels = new JsonObject { ["app"] = i % 2 == 0 ? "web" : "db" };
            await _host.Api.CreateAsync(KindRegistry.Pods, "default", RegistryTestHost.Pod($"p{i}", i < 2 ? "n1" : null, labels));
        }
        await _host.Api.CreateAsync(KindRegistry.Pods, "other", RegistryTestHost.Pod("p0", "n2"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static IEnumerable<string> Names(ApiList list) => list.Items.Select(i => i.GetName()!);

    [Fact]
    public async Task List_Namespace_ReturnsItsItemsStampedAtStoreRevision()
    {
        var list = await _host.Api.ListAsync(KindRegistry.Pods, "default");
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], Names(list));
        Assert.Equal(_host.Store.CurrentRevision.ToString(), list.ResourceVersion);
        Assert.All(list.Items, i => Assert.Equal("Pod", i["kind"]!.GetValue<string>()));
        Assert.Null(list.Continue);
    }

    [Fact]
    public async Task List_AllNamespaces_IncludesEveryNamespace()
    {
        var list = await _host.Api.ListAsync(KindRegistry.Pods, null);
        Assert.Equal(6, list.Items.Count);
    }

    [Fact]
    public async Task List_LabelSelector_Filters()
    {
        var list = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(LabelSelector: "app=web"));
        Assert.Equal(["p0", "p2", "p4"], Names(list));
        var notIn = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(LabelSelector: "app notin (web)"));
        Assert.Equal(["p1", "p3"], Names(notIn));
    }

    [Fact]
    public async Task List_FieldSelector_Filters()
    {
        var byName = await _host.Api.ListAsync(KindRegistry.Pods, null, new ListOptions(FieldSelector: "metadata.name=p0,metadata.namespace=other"));
        Assert.Equal("other", Assert.Single(byName.Items).GetNamespace());
        var byNode = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(FieldSelector: "spec.nodeName=n1"));
        Assert.Equal(["p0", "p1"], Names(byNode));
        var raw = await _host.Api.ListRawAsync(KindRegistry.Pods, "default", new ListOptions(FieldSelector: "spec.nodeName!=n1"));
        Assert.Equal(3, raw.Items.Count);
    }

    [Fact]
    public async Task List_UnsupportedField_Returns400()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.ListAsync(KindRegistry.ConfigMaps, "default", new ListOptions(FieldSelector: "spec.nodeName=n1")));
        Assert.Equal(400, e.Code);
        Assert.Equal("\"spec.nodeName\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", e.Message);
    }

    [Fact]
    public async Task List_LimitAndContinue_PagesThroughEverythingAtFirstRevision()
    {
        var first = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(Limit: 2));
        Assert.Equal(["p0", "p1"], Names(first));
        Assert.NotNull(first.Continue);
        await _host.CreatePodAsync("p9");
        var second = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(Limit: 2, Continue: first.Continue));
        Assert.Equal(["p2", "p3"], Names(second));
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
        var third = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(Limit: 2, Continue: second.Continue));
        Assert.Equal(["p4", "p9"], Names(third));
        Assert.Null(third.Continue);
    }

    [Fact]
    public async Task List_LimitWithSelector_FillsPageFromLaterItems()
    {
        var page = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(LabelSelector: "app=web", Limit: 2));
        Assert.Equal(["p0", "p2"], Names(page));
        var rest = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(LabelSelector: "app=web", Limit: 2, Continue: page.Continue));
        Assert.Equal(["p4"], Names(rest));
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiIvc2VjcmV0cy8ifQ==")]
    public async Task List_InvalidContinue_Returns400(string token)
    {
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(Limit: 2, Continue: token)));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task List_ContinueOlderThanCompaction_Returns410()
    {
        var first = await _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(Limit: 2));
        await _host.CreatePodAsync("p9");
        await _host.Store.CompactAsync(_host.Store.CurrentRevision);
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            _host.Api.ListAsync(KindRegistry.Pods, "default", new ListOptions(Limit: 2, Continue: first.Continue)));
        Assert.Equal(410, e.Code);
    }
}
