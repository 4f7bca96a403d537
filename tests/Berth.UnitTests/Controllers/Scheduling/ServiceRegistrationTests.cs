using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Controllers.NodeLifecycle;
using Berth.Controllers.Scheduling;
using Berth.Kubelet.Node;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Controllers.Scheduling;

public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task AddHelpers_WithSharedServices_ResolveSchedulerLifecycleAndNodeAgent()
    {
        await using var store = new InMemoryResourceStore();
        var time = new FakeTimeProvider();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IApiClient>(new ApiRegistry(store, StrategyCatalog.CreateDefault(), time));
        services.AddSingleton(sp => new SharedInformerFactory(sp.GetRequiredService<IApiClient>(), time, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new EventBroadcaster(sp.GetRequiredService<IApiClient>(), time, sp.GetRequiredService<ILogger<EventBroadcaster>>()));

        services.AddScheduler().AddNodeLifecycleControllers().AddNodeStatusAgent(new NodeRegistrationOptions { NodeName = "node-a" });
        await using var provider = services.BuildServiceProvider();

        Assert.Equal("scheduler", provider.GetRequiredService<Scheduler>().Name);
        Assert.Equal("node-lifecycle", provider.GetRequiredService<NodeLifecycleController>().Name);
        Assert.Equal("taint-eviction-controller", provider.GetRequiredService<TaintEvictionController>().Name);
        Assert.NotNull(provider.GetRequiredService<NodeStatusAgent>().Heartbeat);
        Assert.True(provider.GetRequiredService<MachineInfo>().Cores > 0);
    }
}
