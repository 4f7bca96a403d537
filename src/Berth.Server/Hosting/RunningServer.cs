using System.Security.Cryptography.X509Certificates;
using Berth.Server.Tls;
using Microsoft.AspNetCore.Builder;

namespace Berth.Server.Hosting;

/// <summary>
/// A started server: where it listens, how to authenticate, and how to stop it. Disposal stops the host (hosted
/// services in LIFO order, Kestrel drained), then disposes the container (the store, resolved first, goes last),
/// then the certificates. Thread-safe;
/// <see cref="StopAsync"/> and <see cref="DisposeAsync"/> may be called more than once.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ServingMaterial tls;
    private int disposed;

    internal RunningServer(WebApplication app, ServingMaterial tls, DataDirectory dataDirectory,
        Uri baseAddress, string token)
    {
        this.app = app;
        this.tls = tls;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
        Token = token;
    }

    /// <summary><c>https://127.0.0.1:PORT/</c>, with the port actually bound (also when <c>--port 0</c>).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The admin bearer token.</summary>
    public string Token { get; }

    public DataDirectory DataDirectory { get; }

    public string KubeconfigPath => DataDirectory.Kubeconfig;

    /// <summary>The cluster CA certificate (public part is what clients must trust).</summary>
    public X509Certificate2 CertificateAuthority => tls.Authority;

    public IServiceProvider Services => app.Services;

    /// <summary>Stops the host gracefully; completes when every hosted service and Kestrel have stopped.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => app.StopAsync(cancellationToken);

    /// <summary>Completes when the host was asked to stop (signal, <see cref="StopAsync"/>) and finished stopping.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            tls.Serving.Dispose();
            tls.Authority.Dispose();
        }
    }
}
