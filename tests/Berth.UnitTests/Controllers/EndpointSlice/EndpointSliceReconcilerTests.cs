using System.Text.Json.Nodes;
using Berth.Controllers.EndpointSlice;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.EndpointSlice.EndpointTestObjects;

namespace Berth.UnitTests.Controllers.EndpointSlice;

public sealed class EndpointSliceReconcilerTests
{
    private readonly EndpointSliceReconciler _reconciler = new();

    /// <summary>Turns a plan's creates into "stored" slices, as the API would return them.</summary>
    private static List<JsonObject> Store(SlicePlan plan)
    {
        var i = 0;
        return plan.ToCreate.Select(s =>
        {
            var stored = s.DeepClone().AsObject();
            stored.Metadata()["name"] = $"web-{i++}";
            stored.Metadata()["resourceVersion"] = "1";
            return stored;
        }).ToList();
    }

    private static JsonObject Conditions(SlicePlan plan) =>
        (JsonObject)plan.ToCreate.Single()["endpoints"]![0]!["conditions"]!;

    [Theory]
    [InlineData(true, false, false, true, true, false)]
    [InlineData(false, false, false, false, false, false)]
    [InlineData(true, true, false, false, true, true)]
    [InlineData(false, true, false, false, false, true)]
    [InlineData(false, false, true, true, false, false)]
    [InlineData(true, true, true, true, true, true)]
    public void Reconcile_Conditions_FollowUpstreamFormula(bool podReady, bool terminating, bool publishNotReady, bool ready, bool serving, bool term)
    {
        var plan = _reconciler.Reconcile(Service(publishNotReady: publishNotReady), [Pod("a", "127.1.0.2", podReady, terminating)], []);
        var c = Conditions(plan);
        Assert.Equal(ready, c["ready"]!.GetValue<bool>());
        Assert.Equal(serving, c["serving"]!.GetValue<bool>());
        Assert.Equal(term, c["terminating"]!.GetValue<bool>());
    }

    [Fact]
    public void Reconcile_NewSlice_HasLabelsOwnerPortsAndTargetRef()
    {
        var slice = _reconciler.Reconcile(Service(), [Pod("a", "127.1.0.2")], []).ToCreate.Single();
        Assert.Equal("web-", slice.GetString("metadata", "generateName"));
        Assert.Equal("endpointslice-controller.k8s.io", slice.GetString("metadata", "labels", "endpointslice.kubernetes.io/managed-by"));
        Assert.Equal("web", slice.GetString("metadata", "labels", "kubernetes.io/service-name"));
        Assert.Equal("svc-uid-web", slice.GetArray("metadata", "ownerReferences")![0]!["uid"]!.GetValue<string>());
        Assert.Equal("IPv4", slice.GetString("addressType"));
        Assert.Equal(8080, slice.GetArray("ports")![0]!["port"]!.GetValue<long>());
        var endpoint = (JsonObject)slice["endpoints"]![0]!;
        Assert.Equal("node1", endpoint.GetString("nodeName"));
        Assert.Equal("a", endpoint.GetString("targetRef", "name"));
        Assert.Equal("127.1.0.2", endpoint["addresses"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Reconcile_PodsWithoutIPOrTerminal_AreSkipped()
    {
        var plan = _reconciler.Reconcile(Service(), [Pod("noip", null), Pod("done", "127.1.0.3", phase: "Succeeded"),
            Pod("failed", "127.1.0.4", phase: "Failed"), Pod("ok", "127.1.0.5")], []);
        var endpoints = plan.ToCreate.Single()["endpoints"]!.AsArray();
        Assert.Equal("ok", Assert.Single(endpoints)!["targetRef"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Reconcile_NamedTargetPort_GroupsPodsByResolvedPorts()
    {
        var ports = new JsonArray(new JsonObject { ["name"] = "web", ["port"] = 80, ["targetPort"] = "http", ["protocol"] = "TCP" });
        var plan = _reconciler.Reconcile(Service(ports: ports),
            [Pod("a", "127.1.0.2", httpPort: 8080), Pod("b", "127.1.0.3", httpPort: 9090), Pod("c", "127.1.0.4", httpPort: null)], []);
        Assert.Equal(3, plan.ToCreate.Count);
        var byPort = plan.ToCreate.ToDictionary(s => (s["ports"] as JsonArray)?.FirstOrDefault()?["port"]?.GetValue<long>() ?? 0);
        Assert.Equal("a", byPort[8080]["endpoints"]![0]!["targetRef"]!["name"]!.GetValue<string>());
        Assert.Equal("b", byPort[9090]["endpoints"]![0]!["targetRef"]!["name"]!.GetValue<string>());
        Assert.Null(byPort[0]["ports"]);
    }

    [Fact]
    public void Reconcile_250Pods_SplitsIntoSlicesOfAtMost100()
    {
        var pods = Enumerable.Range(0, 250).Select(i => Pod($"p{i:D3}", $"127.1.{i / 200}.{(i % 200) + 2}")).ToList();
        var plan = _reconciler.Reconcile(Service(), pods, []);
        Assert.Equal([100, 100, 50], plan.ToCreate.Select(s => s["endpoints"]!.AsArray().Count).Order().Reverse());
    }

    [Fact]
    public void Reconcile_NothingChanged_WritesNothing()
    {
        var pods = Enumerable.Range(0, 150).Select(i => Pod($"p{i:D3}", $"127.1.0.{i + 2}")).ToList();
        var existing = Store(_reconciler.Reconcile(Service(), pods, []));
        Assert.True(_reconciler.Reconcile(Service(), pods, existing).IsEmpty);
    }

    [Fact]
    public void Reconcile_OnePodTerminating_UpdatesOnlyItsSlice()
    {
        var pods = Enumerable.Range(0, 150).Select(i => Pod($"p{i:D3}", $"127.1.0.{i + 2}")).ToList();
        var existing = Store(_reconciler.Reconcile(Service(), pods, []));
        pods[0] = Pod("p000", "127.1.0.2", terminating: true);
        var plan = _reconciler.Reconcile(Service(), pods, existing);
        Assert.Empty(plan.ToCreate);
        Assert.Empty(plan.ToDelete);
        var updated = Assert.Single(plan.ToUpdate);
        var endpoint = updated["endpoints"]!.AsArray().OfType<JsonObject>().Single(e => e.GetString("targetRef", "name") == "p000");
        Assert.False(endpoint["conditions"]!["ready"]!.GetValue<bool>());
        Assert.True(endpoint["conditions"]!["terminating"]!.GetValue<bool>());
        Assert.Equal("1", updated.GetResourceVersion());
    }

    [Fact]
    public void Reconcile_NewPod_FillsExistingSliceWithRoom()
    {
        var existing = Store(_reconciler.Reconcile(Service(), [Pod("a", "127.1.0.2")], []));
        var plan = _reconciler.Reconcile(Service(), [Pod("a", "127.1.0.2"), Pod("b", "127.1.0.3")], existing);
        Assert.Empty(plan.ToCreate);
        Assert.Equal(2, Assert.Single(plan.ToUpdate)["endpoints"]!.AsArray().Count);
    }

    [Fact]
    public void Reconcile_NoPods_KeepsOnePlaceholder()
    {
        var placeholder = Assert.Single(_reconciler.Reconcile(Service(), [], []).ToCreate);
        Assert.Empty(placeholder["endpoints"]!.AsArray());
        var existing = Store(_reconciler.Reconcile(Service(), [Pod("a", "127.1.0.2")], []));
        var emptied = _reconciler.Reconcile(Service(), [], existing);
        Assert.Empty(emptied.ToDelete);
        Assert.Empty(Assert.Single(emptied.ToUpdate)["endpoints"]!.AsArray());
        Assert.Null(emptied.ToUpdate[0]["ports"]);
    }

    [Fact]
    public void Reconcile_HeadlessService_LabelledHeadless()
    {
        var slice = _reconciler.Reconcile(Service(clusterIP: "None"), [Pod("a", "127.1.0.2")], []).ToCreate.Single();
        Assert.Equal("", slice.GetString("metadata", "labels", "service.kubernetes.io/headless"));
    }
}
