using Berth.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.UnitTests.Server.Hosting;

public sealed class ListenFirstStartTests
{
    [Fact]
    public async Task StartAfterListening_Lifecycle_StartsInOrderOnlyWhenStartedAndStopsInReverse()
    {
        var journal = new List<string>();
        var services = new ServiceCollection();
        services.AddSingleton(journal);
        services.AddHostedService<First>();
        services.AddSingleton<IHostedService>(sp => new Recording("second", sp.GetRequiredService<List<string>>()));
        services.StartAfterListening();
        await using var provider = services.BuildServiceProvider();

        var start = Assert.IsType<ListenFirstStart>(Assert.Single(provider.GetServices<IHostedService>()));
        await start.StartingAsync(CancellationToken.None);
        await start.StartAsync(CancellationToken.None);
        Assert.Empty(journal);
        await start.StartedAsync(CancellationToken.None);
        await start.StopAsync(CancellationToken.None);

        Assert.Equal(["start first", "start second", "stop second", "stop first"], journal);
    }

    [Fact]
    public async Task StopAsync_AfterAFailedStart_StopsOnlyTheStartedOnes()
    {
        var journal = new List<string>();
        var start = new ListenFirstStart(
            [new Recording("a", journal), new Recording("b", journal, failStart: true), new Recording("c", journal)], []);

        await Assert.ThrowsAsync<InvalidOperationException>(() => start.StartedAsync(CancellationToken.None));
        await start.StopAsync(CancellationToken.None);

        Assert.Equal(["start a", "stop a"], journal);
    }

    [Fact]
    public async Task StopAsync_OneStopThrows_StopsTheOthersAndRethrows()
    {
        var journal = new List<string>();
        var start = new ListenFirstStart(
            [new Recording("a", journal), new Recording("b", journal, failStop: true), new Recording("c", journal)], []);
        await start.StartedAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<AggregateException>(() => start.StopAsync(CancellationToken.None));

        Assert.IsType<InvalidOperationException>(Assert.Single(error.InnerExceptions));
        Assert.Equal(["start a", "start b", "start c", "stop c", "stop b", "stop a"], journal);
    }

    [Fact]
    public async Task StoppingAsync_LifecycleServices_NotifiedInReverseBeforeAnyStop()
    {
        var journal = new List<string>();
        var start = new ListenFirstStart(
            [new Stopping("a", journal), new Recording("b", journal), new Stopping("c", journal)], []);
        await start.StartedAsync(CancellationToken.None);

        await start.StoppingAsync(CancellationToken.None);
        await start.StopAsync(CancellationToken.None);

        Assert.Equal(["start a", "start b", "start c", "stopping c", "stopping a", "stop c", "stop b", "stop a"], journal);
    }

    [Fact]
    public async Task DisposeAsync_Container_DisposesCreatedServicesButNotRegisteredInstances()
    {
        var journal = new List<string>();
        var instance = new Recording("instance", journal);
        var services = new ServiceCollection();
        services.AddSingleton(journal);
        services.AddHostedService<First>();
        services.AddSingleton<IHostedService>(instance);
        services.StartAfterListening();
        var provider = services.BuildServiceProvider();
        var start = Assert.IsType<ListenFirstStart>(Assert.Single(provider.GetServices<IHostedService>()));
        Assert.Equal(2, start.Services.Count);

        await provider.DisposeAsync();

        Assert.Equal(["dispose first"], journal);
    }

    private sealed class Stopping(string name, List<string> journal) : Recording(name, journal), IHostedLifecycleService
    {
        public Task StoppingAsync(CancellationToken cancellationToken)
        {
            Journal.Add($"stopping {Name}");
            return Task.CompletedTask;
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class First(List<string> journal) : Recording("first", journal);

    private class Recording(string name, List<string> journal, bool failStart = false, bool failStop = false)
        : IHostedService, IDisposable
    {
        protected string Name => name;

        protected List<string> Journal => journal;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (failStart)
            {
                throw new InvalidOperationException($"{name} failed to start");
            }
            journal.Add($"start {name}");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            journal.Add($"stop {name}");
            return failStop ? throw new InvalidOperationException($"{name} failed to stop") : Task.CompletedTask;
        }

        public void Dispose() => journal.Add($"dispose {name}");
    }
}
