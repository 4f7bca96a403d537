using System.Net;
using System.Net.Sockets;
using Berth.Server.Hosting;
using Berth.Server.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Berth.IntegrationTests;

/// <summary>Start, stop and restart of the in-process server.</summary>
public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task Restart_SameDataDir_ReusesCaTokenAndDatabase()
    {
        var dir = Directory.CreateTempSubdirectory("berth-restart-").FullName;
        try
        {
            string token, caThumbprint;
            await using (var first = await TestServerHost.StartAsync(o => o with { DataDir = dir, Store = StoreBackend.Sqlite }))
            {
                token = first.Token;
                caThumbprint = first.Server.CertificateAuthority.Thumbprint;
            }
            Assert.True(File.Exists(Path.Combine(dir, "berth.db")));
            await using var second = await TestServerHost.StartAsync(o => o with { DataDir = dir, Store = StoreBackend.Sqlite });
            Assert.Equal(token, second.Token);
            Assert.Equal(caThumbprint, second.Server.CertificateAuthority.Thumbprint);
            using var client = second.CreateKubernetesClient();
            Assert.Equal("32", (await client.Version.GetCodeAsync().DefaultTimeout()).Minor);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_PortInUse_ThrowsIOException()
    {
        await using var first = await TestServerHost.StartAsync();
        var port = first.BaseAddress.Port;
        await Assert.ThrowsAnyAsync<IOException>(() => TestServerHost.StartAsync(o => o with { Port = port }));
    }

    [Fact]
    public async Task Dispose_StopsListening()
    {
        var host = await TestServerHost.StartAsync();
        var port = host.BaseAddress.Port;
        await host.DisposeAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port).DefaultTimeout());
    }

    [Fact]
    public async Task Services_CompactorIsFirstHostedService()
    {
        await using var host = await TestServerHost.StartAsync();
        var first = host.Services.GetServices<IHostedService>().First();
        Assert.IsType<CompactorService>(first);
    }

    [Fact]
    public async Task StopApplication_FailsReadinessBeforeShutdown()
    {
        await using var host = await TestServerHost.StartAsync();
        var readiness = host.Services.GetRequiredService<Berth.ApiServer.Health.ServerReadiness>();
        Assert.True(readiness.IsReady);
        host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        Assert.False(readiness.IsReady);
        await host.Server.WaitForShutdownAsync().DefaultTimeout();
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => BerthServer.StartAsync(new ServerOptions { Port = -1 }));
    }
}
