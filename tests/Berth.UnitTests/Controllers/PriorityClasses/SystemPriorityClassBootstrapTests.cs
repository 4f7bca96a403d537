using System.Text.Json.Nodes;
using Berth.Controllers.PriorityClasses;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.PriorityClasses;

/// <summary>The built-in PriorityClasses are created at start, once, and an existing one is left alone.</summary>
public sealed class SystemPriorityClassBootstrapTests
{
    private readonly ApiRegistry _api = new(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

    [Fact]
    public async Task RunTwice_CreatesBothOnce()
    {
        var bootstrap = new SystemPriorityClassBootstrap(_api, NullLogger<SystemPriorityClassBootstrap>.Instance);

        await bootstrap.RunAsync(CancellationToken.None);
        var first = await _api.GetAsync(KindRegistry.PriorityClasses, null, "system-node-critical");
        await bootstrap.RunAsync(CancellationToken.None);

        var classes = (await _api.ListAsync(KindRegistry.PriorityClasses, null)).Items;
        Assert.Equal([("system-cluster-critical", 2_000_000_000L), ("system-node-critical", 2_000_001_000L)],
            classes.Select(c => ((string)c["metadata"]!["name"]!, (long)c["value"]!)).OrderBy(c => c.Item1));
        Assert.All(classes, c => Assert.Equal("PreemptLowerPriority", (string?)c["preemptionPolicy"]));
        Assert.Equal((string?)first["metadata"]!["resourceVersion"],
            (string?)(await _api.GetAsync(KindRegistry.PriorityClasses, null, "system-node-critical"))["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task ExistingClass_IsLeftAsItIs()
    {
        await _api.CreateAsync(KindRegistry.PriorityClasses, null, JsonNode.Parse("""{"metadata":{"name":"system-node-critical"},"value":2000001000,"description":"ours"}""")!.AsObject());

        await new SystemPriorityClassBootstrap(_api, NullLogger<SystemPriorityClassBootstrap>.Instance).RunAsync(CancellationToken.None);

        Assert.Equal("ours", (string?)(await _api.GetAsync(KindRegistry.PriorityClasses, null, "system-node-critical"))["description"]);
    }
}
