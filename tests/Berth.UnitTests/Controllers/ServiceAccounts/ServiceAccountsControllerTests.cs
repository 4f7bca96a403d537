using Berth.Controllers.ServiceAccounts;
using Berth.Machinery.Kinds;
using Berth.UnitTests.Controllers.Namespaces;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.ServiceAccounts;

public sealed class ServiceAccountsControllerTests : IAsyncLifetime
{
    private readonly ControllerTestHost _host = new();
    private ServiceAccountsController _controller = null!;

    public Task InitializeAsync()
    {
        _controller = new ServiceAccountsController(_host.Api, _host.Informers, TimeProvider.System, NullLogger<ServiceAccountsController>.Instance);
        return Task.CompletedTask;
    }

    private void Start() => _host.Run(_controller.RunAsync);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _controller.Dispose();
    }

    private Task<bool> HasDefaultAccount(string ns) => _host.ExistsAsync(KindRegistry.ServiceAccounts, ns, "default");

    [Fact]
    public async Task NewNamespace_GetsDefaultServiceAccount()
    {
        Start();
        await _host.CreateNamespaceAsync("team");
        await AsyncTestHelpers.WaitUntilAsync(() => HasDefaultAccount("team"));
    }

    [Fact]
    public async Task DeletedDefaultServiceAccount_IsRecreated()
    {
        Start();
        await _host.CreateNamespaceAsync("team");
        await AsyncTestHelpers.WaitUntilAsync(() => HasDefaultAccount("team"));
        await _host.Api.DeleteAsync(KindRegistry.ServiceAccounts, "team", "default");
        await AsyncTestHelpers.WaitUntilAsync(() => HasDefaultAccount("team"));
    }

    [Fact]
    public async Task TerminatingNamespace_GetsNoServiceAccount()
    {
        await _host.CreateNamespaceAsync("doomed");
        await _host.Api.DeleteAsync(KindRegistry.Namespaces, null, "doomed");
        Start();
        await _host.CreateNamespaceAsync("live");
        await AsyncTestHelpers.WaitUntilAsync(() => HasDefaultAccount("live"));
        Assert.False(await HasDefaultAccount("doomed"));
    }
}
