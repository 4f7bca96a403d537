using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.UnitTests.Client.Informers;

public sealed class ListerTests
{
    private readonly ThreadSafeStore _store = new(new Dictionary<string, IndexFunc> { [Indexers.NamespaceIndex] = Indexers.MetaNamespace });

    public ListerTests()
    {
        Put(ClientTestObjects.Pod("a", "web-1", new Dictionary<string, string> { ["app"] = "web" }, resourceVersion: "1"));
        Put(ClientTestObjects.Pod("a", "db-1", new Dictionary<string, string> { ["app"] = "db" }, resourceVersion: "2"));
        Put(ClientTestObjects.Pod("b", "web-1", new Dictionary<string, string> { ["app"] = "web" }, resourceVersion: "3"));
    }

    [Fact]
    public void Get_ExistingAndMissing_ReturnsObjectOrNull()
    {
        var lister = new Lister(_store, KindRegistry.Pods);

        Assert.Equal("db-1", lister.Get("a", "db-1")?["metadata"]?["name"]?.GetValue<string>());
        Assert.Null(lister.Get("b", "db-1"));
    }

    [Fact]
    public void List_NamespaceAndLabelPredicate_FiltersBoth()
    {
        var lister = new Lister(_store, KindRegistry.Pods);

        Assert.Equal(3, lister.List().Count);
        Assert.Equal(2, lister.List("a").Count);
        Assert.Equal(2, lister.List(null, l => l.TryGetValue("app", out var v) && v == "web").Count);
        Assert.Single(lister.List("a", l => l.TryGetValue("app", out var v) && v == "web"));
        Assert.Empty(lister.List("a", l => l.ContainsKey("tier")));
    }

    [Fact]
    public void List_LabelSelector_MatchesSetBasedAndEmptySelectors()
    {
        var lister = new Lister(_store, KindRegistry.Pods);

        Assert.Equal(2, lister.List("a", LabelSelector.Parse("app in (web,db)")).Count);
        Assert.Single(lister.List(null, LabelSelector.Parse("app=web,app notin (db)")), p => p.GetNamespace() == "b");
        Assert.Equal(3, lister.List(null, LabelSelector.Everything).Count);
        Assert.Empty(lister.List(null, LabelSelector.Nothing));
    }

    [Fact]
    public void Get_ClusterScopedKind_IgnoresNamespace()
    {
        var store = new ThreadSafeStore();
        store.Upsert(new ObjectKey("", "n1"), ClientTestObjects.Node("n1"));
        var lister = new Lister(store, KindRegistry.Nodes);

        Assert.NotNull(lister.Get("whatever", "n1"));
        Assert.Single(lister.List("whatever"));
    }

    [Fact]
    public void TypedLister_SameResourceVersion_ReturnsTheSameModelInstance()
    {
        var typed = new TypedLister<V1Pod>(new Lister(_store, KindRegistry.Pods), new ModelCache<V1Pod>());

        var first = typed.Get("a", "web-1");
        var second = typed.Get("a", "web-1");
        Put(ClientTestObjects.Pod("a", "web-1", new Dictionary<string, string> { ["app"] = "web2" }, resourceVersion: "4"));
        var third = typed.Get("a", "web-1");

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.NotSame(first, third);
        Assert.Equal("web2", third!.Metadata.Labels["app"]);
        Assert.Equal(2, typed.List("a").Count);
    }

    private void Put(System.Text.Json.Nodes.JsonObject pod) => _store.Upsert(ObjectKeys.KeyOf(pod), pod);
}
