using Berth.Controllers.Bootstrap;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.Bootstrap;

/// <summary>The kubernetes Service, Endpoints and EndpointSlice on a fresh and on a restarted server.</summary>
public sealed class KubernetesServiceTests
{
    private readonly FakeApiClient _api = new();

    [Fact]
    public async Task Reconcile_Fresh_CreatesServiceEndpointsAndSlice()
    {
        await Service().ReconcileAsync("127.0.0.1", 6443, CancellationToken.None);

        var svc = await _api.GetAsync(KindRegistry.Services, "default", "kubernetes");
        Assert.Equal("127.96.0.1", svc.GetString("spec", "clusterIP"));
        Assert.Equal(6443, svc.GetArray("spec", "ports")![0]!["targetPort"]!.GetValue<long>());
        var endpoints = await _api.GetAsync(KindRegistry.Endpoints, "default", "kubernetes");
        Assert.Equal("127.0.0.1", endpoints["subsets"]![0]!["addresses"]![0]!["ip"]!.GetValue<string>());
        var slice = await _api.GetAsync(KindRegistry.EndpointSlices, "default", "kubernetes");
        Assert.Equal(6443, slice["ports"]![0]!["port"]!.GetValue<long>());
    }

    [Fact]
    public async Task Reconcile_RestartOnAnotherPort_ReadsFirstAndUpdatesWithoutCreate()
    {
        await Service().ReconcileAsync("127.0.0.1", 6443, CancellationToken.None);
        var createsBefore = _api.CountActions("create");

        await Service().ReconcileAsync("127.0.0.1", 7443, CancellationToken.None);

        // A second create of the Service would be refused upstream for its allocated clusterIP (422), not 409.
        Assert.Equal(createsBefore, _api.CountActions("create"));
        var svc = await _api.GetAsync(KindRegistry.Services, "default", "kubernetes");
        Assert.Equal(7443, svc.GetArray("spec", "ports")![0]!["targetPort"]!.GetValue<long>());
        var endpoints = await _api.GetAsync(KindRegistry.Endpoints, "default", "kubernetes");
        Assert.Equal(7443, endpoints["subsets"]![0]!["ports"]![0]!["port"]!.GetValue<long>());
    }

    [Fact]
    public async Task Reconcile_Unchanged_WritesNothing()
    {
        await Service().ReconcileAsync("127.0.0.1", 6443, CancellationToken.None);
        var revision = _api.CurrentRevision;

        await Service().ReconcileAsync("127.0.0.1", 6443, CancellationToken.None);

        Assert.Equal(revision, _api.CurrentRevision);
    }

    private KubernetesService Service() => new(_api, new KubernetesServiceOptions(), NullLogger<KubernetesService>.Instance);
}
