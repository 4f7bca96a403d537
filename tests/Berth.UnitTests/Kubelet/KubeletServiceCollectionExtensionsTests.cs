using Berth.Client.Events;
using Berth.Kubelet;
using Berth.Kubelet.Abstractions;
using Berth.Kubelet.Runtime;
using Berth.Registry;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Kubelet;

public sealed class KubeletServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddKubelet_WithDependencies_ResolvesAgentAndHostedService()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton<IApiClient>(new FakeApiClient());
        services.AddSingleton<IContainerRuntime>(new FakeContainerRuntime(TimeProvider.System));
        services.AddSingleton<IVolumeManager>(new FakeVolumeManager());
        services.AddSingleton<IPodNetwork>(new FakePodNetwork());
        services.AddSingleton<IEventRecorder>(new RecordingEventRecorder(TimeProvider.System));
        services.AddKubelet(_ => new KubeletOptions { NodeName = "n1", TerminatePodsOnStop = false });
        await using var provider = services.BuildServiceProvider();

        var kubelet = provider.GetRequiredService<Berth.Kubelet.Kubelet>();
        var hosted = Assert.Single(provider.GetServices<IHostedService>());

        Assert.Equal("n1", kubelet.Options.NodeName);
        await hosted.StartAsync(CancellationToken.None).DefaultTimeout();
        await hosted.StopAsync(CancellationToken.None).DefaultTimeout();
    }
}
