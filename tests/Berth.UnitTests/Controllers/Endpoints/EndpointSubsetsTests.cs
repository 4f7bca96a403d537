using System.Text.Json.Nodes;
using Berth.Controllers.Endpoints;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.EndpointSlice.EndpointTestObjects;

namespace Berth.UnitTests.Controllers.Endpoints;

public sealed class EndpointSubsetsTests
{
    private static List<string> Names(JsonArray subsets, string field) =>
        subsets.OfType<JsonObject>().SelectMany(s => s[field]?.AsArray().OfType<JsonObject>() ?? [])
            .Select(a => a.GetString("targetRef", "name")!).ToList();

    [Fact]
    public void For_ReadyAndNotReady_SplitIntoAddressesAndNotReadyAddresses()
    {
        var subsets = EndpointSubsets.For(Service(), [Pod("a", "127.1.0.2"), Pod("b", "127.1.0.3", ready: false)]);
        Assert.Equal(["a"], Names(subsets, "addresses"));
        Assert.Equal(["b"], Names(subsets, "notReadyAddresses"));
        Assert.Equal(8080, ((JsonObject)subsets[0]!["ports"]![0]!).GetLong("port"));
    }

    [Fact]
    public void For_TerminatingPod_RemovedAtOnce()
    {
        var subsets = EndpointSubsets.For(Service(), [Pod("a", "127.1.0.2", terminating: true), Pod("b", "127.1.0.3")]);
        Assert.Equal(["b"], Names(subsets, "addresses"));
        Assert.Empty(Names(subsets, "notReadyAddresses"));
    }

    [Fact]
    public void For_PublishNotReadyAddresses_KeepsTerminatingAndUnreadyInAddresses()
    {
        var subsets = EndpointSubsets.For(Service(publishNotReady: true),
            [Pod("a", "127.1.0.2", terminating: true), Pod("b", "127.1.0.3", ready: false), Pod("c", "127.1.0.4", phase: "Succeeded")]);
        Assert.Equal(["a", "b"], Names(subsets, "addresses"));
    }

    [Fact]
    public void For_DifferentResolvedPorts_SeparateSubsetsSortedByIP()
    {
        var ports = new JsonArray(new JsonObject { ["name"] = "web", ["port"] = 80, ["targetPort"] = "http", ["protocol"] = "TCP" });
        var subsets = EndpointSubsets.For(Service(ports: ports),
            [Pod("z", "127.1.0.9", httpPort: 8080), Pod("y", "127.1.0.10", httpPort: 9090), Pod("x", "127.1.0.3", httpPort: 8080), Pod("none", "127.1.0.5", httpPort: null)]);
        Assert.Equal(2, subsets.Count);
        var by8080 = subsets.OfType<JsonObject>().Single(s => s["ports"]![0]!.AsObject().GetLong("port") == 8080);
        Assert.Equal(["x", "z"], Names(new JsonArray(by8080.DeepClone()), "addresses"));
    }
}
