using System.Security.Cryptography;
using Berth.Machinery.Kinds;
using Berth.Registry.Core.ServiceAccounts;
using Berth.Registry.Generic;
using Berth.Server.Hosting;
using Berth.Storage.InMemory;
using Berth.UnitTests.Registry.ServiceAccounts;

namespace Berth.UnitTests.Server.Hosting;

/// <summary>The pod-path warm-up: every step passes against the real registry, and nothing is stored.</summary>
public sealed class PodPathWarmupTests
{
    [Fact]
    public async Task RunAsync_RealRegistry_AllStepsPassAndNothingIsStored()
    {
        using var host = new TokenTestHost();
        var before = await host.Api.ListAsync(KindRegistry.Pods, TokenTestHost.Ns);

        var failed = await new PodPathWarmup(host.Api, host.Issuer, host.Time).RunAsync(CancellationToken.None);

        Assert.Empty(failed);
        var pods = await host.Api.ListAsync(KindRegistry.Pods, TokenTestHost.Ns);
        var events = await host.Api.ListAsync(KindRegistry.Events, TokenTestHost.Ns);
        Assert.Empty(pods.Items);
        Assert.Empty(events.Items);
        Assert.Equal(before.ResourceVersion, pods.ResourceVersion);
    }

    [Fact]
    public async Task RunAsync_NamespaceMissing_ReportsTheApiStepsAndStillRunsTheOthers()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var time = TimeProvider.System;
        var issuer = new ServiceAccountTokenIssuer(key, time);
        var api = new ApiRegistry(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), time, new RegistryOptions { TokenIssuer = issuer });

        var failed = await new PodPathWarmup(api, issuer, time).RunAsync(CancellationToken.None);

        Assert.Equal(2, failed.Count);
        Assert.StartsWith("dry-run pod create (", failed[0], StringComparison.Ordinal);
        Assert.StartsWith("dry-run event create (", failed[1], StringComparison.Ordinal);
    }
}
