using Xunit;

namespace Berth.Testing.Server;

/// <summary>
/// An xunit class fixture (<c>IClassFixture&lt;BerthServerFixture&gt;</c>) sharing one in-process server (memory store,
/// free port) across a test class. Tests must not depend on each other's objects: use unique names.
/// </summary>
public sealed class BerthServerFixture : IAsyncLifetime
{
    private TestServerHost? host;

    public TestServerHost Host => host ?? throw new InvalidOperationException("the fixture has not been initialised");

    public async Task InitializeAsync() => host = await TestServerHost.StartAsync().ConfigureAwait(false);

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }
    }
}
