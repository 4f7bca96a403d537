using System.Text.Json.Nodes;
using Berth.Controllers.ServiceAccounts;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Controllers.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.ServiceAccounts;

public sealed class RootCaCertPublisherTests : IAsyncLifetime
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private readonly ControllerTestHost _host = new();
    private RootCaCertPublisher _publisher = null!;

    public Task InitializeAsync()
    {
        _publisher = new RootCaCertPublisher(_host.Api, _host.Informers, () => Ca, TimeProvider.System, NullLogger<RootCaCertPublisher>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _publisher.Dispose();
    }

    private async Task<string?> CaIn(string ns)
    {
        try
        {
            return (await _host.Api.GetAsync(KindRegistry.ConfigMaps, ns, "kube-root-ca.crt")).GetString("data", "ca.crt");
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    [Fact]
    public async Task NewNamespace_GetsCaConfigMap()
    {
        _host.Run(_publisher.RunAsync);
        await _host.CreateNamespaceAsync("team");
        await AsyncTestHelpers.WaitUntilAsync(async () => await CaIn("team") == Ca);
        var cm = await _host.Api.GetAsync(KindRegistry.ConfigMaps, "team", "kube-root-ca.crt");
        Assert.NotNull(cm.GetString("metadata", "annotations", "kubernetes.io/description"));
    }

    [Fact]
    public async Task ChangedOrDeletedConfigMap_IsRestored()
    {
        _host.Run(_publisher.RunAsync);
        await _host.CreateNamespaceAsync("team");
        await AsyncTestHelpers.WaitUntilAsync(async () => await CaIn("team") == Ca);

        var cm = await _host.Api.GetAsync(KindRegistry.ConfigMaps, "team", "kube-root-ca.crt");
        cm["data"] = new JsonObject { ["ca.crt"] = "tampered" };
        await _host.Api.UpdateAsync(KindRegistry.ConfigMaps, "team", cm);
        await AsyncTestHelpers.WaitUntilAsync(async () => await CaIn("team") == Ca);

        await _host.Api.DeleteAsync(KindRegistry.ConfigMaps, "team", "kube-root-ca.crt");
        await AsyncTestHelpers.WaitUntilAsync(async () => await CaIn("team") == Ca);
    }
}
