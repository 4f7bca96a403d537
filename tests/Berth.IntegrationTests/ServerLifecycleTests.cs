using System.Net;
using System.Net.Sockets;
using Berth.Server.Hosting;
using Berth.Server.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
    public async Task Services_CompactorIsFirstStartedService()
    {
        await using var host = await TestServerHost.StartAsync();
        var start = Assert.IsType<ListenFirstStart>(host.Services.GetServices<IHostedService>().First());
        Assert.IsType<CompactorService>(start.Services[0]);
    }

    [Fact]
    public async Task StartAsync_DuringBootstrap_ListensAndAnswersNotReady()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var probed = new TaskCompletionSource<(HttpStatusCode Ready, HttpStatusCode Live)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var starting = TestServerHost.StartAsync(configureServices: services =>
            services.AddSingleton<IHostedService>(sp => new ProbeWhileStarting(sp, probed, release.Task)));
        try
        {
            var (ready, live) = await probed.Task.DefaultTimeout();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
            Assert.Equal(HttpStatusCode.OK, live);
            Assert.False(starting.IsCompleted);
        }
        finally
        {
            release.TrySetResult();
        }
        await using var host = await starting.DefaultTimeout();
        using var http = host.CreateHttpClient(authenticated: false);
        using var response = await http.GetAsync("/readyz").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
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

    /// <summary>A hosted service that, while it starts, asks the already-listening server for /readyz and /livez.</summary>
    private sealed class ProbeWhileStarting(IServiceProvider services,
        TaskCompletionSource<(HttpStatusCode Ready, HttpStatusCode Live)> probed, Task release) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
                var port = new Uri(address).Port;
                using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
                using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };
                using var ready = await http.GetAsync("/readyz", cancellationToken).DefaultTimeout();
                using var live = await http.GetAsync("/livez", cancellationToken).DefaultTimeout();
                probed.TrySetResult((ready.StatusCode, live.StatusCode));
            }
            catch (Exception ex)
            {
                probed.TrySetException(ex);
            }
            await release.WaitAsync(cancellationToken).DefaultTimeout();
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_ThrowsArgumentException()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => BerthServer.StartAsync(new ServerOptions { Port = -1 }));
    }
}
