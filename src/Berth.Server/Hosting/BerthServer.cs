using System.Net;
using Berth.ApiServer.Health;
using Berth.Server.Auth;
using Berth.Server.Kubeconfig;
using Berth.Server.Options;
using Berth.Server.Tls;
using Berth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Berth.Server.Hosting;

/// <summary>
/// Starts a whole Berth server. <c>berth server</c> uses it with signal handling; tests use
/// <see cref="StartAsync(ServerOptions, CancellationToken)"/> to run one in process (e.g. memory store, port 0) and
/// stop it by disposing the returned <see cref="RunningServer"/>.
/// </summary>
public static partial class BerthServer
{
    /// <summary>
    /// Prepares the data directory (CA, serving certificate, token), opens the store, starts every hosted service and
    /// Kestrel, writes the kubeconfig, and returns once <c>/readyz</c> passes. Throws <see cref="ArgumentException"/>
    /// for invalid options and <see cref="IOException"/> when the address is in use. No signal handlers are installed.
    /// </summary>
    public static Task<RunningServer> StartAsync(ServerOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, HostingMode.Embedded, null, cancellationToken);

    /// <summary>As above; <paramref name="configureServices"/> may add or replace services (test fakes, extra hosted services).</summary>
    public static Task<RunningServer> StartAsync(ServerOptions options, Action<IServiceCollection>? configureServices,
        CancellationToken cancellationToken = default) =>
        StartAsync(options, HostingMode.Embedded, configureServices, cancellationToken);

    internal static async Task<RunningServer> StartAsync(ServerOptions options, HostingMode mode,
        Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }
        var time = TimeProvider.System;
        var stages = new StartupStages(time);
        var dir = DataDirectory.Prepare(options.DataDir);
        var token = TokenFile.LoadOrCreate(dir.Token);
        stages.Mark(StartupStage.DataDirectory);
        // The CA and serving certificate (and a warm-up handshake) overlap building the host, which needs them only at start.
        var preparingTls = ServerHostTls.PrepareAsync(dir, ApiServerServingNames.For(options), time);
        WebApplication app;
        try
        {
            app = ServerHost.Build(options, dir, preparingTls, token, time, mode, configureServices);
        }
        catch
        {
            await ServerHostTls.DisposeWhenDoneAsync(preparingTls).ConfigureAwait(false);
            throw;
        }
        stages.Mark(StartupStage.HostBuilt);
        ServingMaterial tls;
        try
        {
            tls = await preparingTls.ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        stages.Mark(StartupStage.Certificates);
        try
        {
            var readiness = app.Services.GetRequiredService<ServerReadiness>();
            app.Services.GetRequiredService<IResourceStore>();
            readiness.MarkStoreOpen();
            stages.Mark(StartupStage.StoreOpen);
            app.Lifetime.ApplicationStopping.Register(readiness.MarkStopping);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            readiness.MarkBootstrapComplete();
            stages.Mark(StartupStage.HostedServicesStarted);
            var baseAddress = AdvertisedAddress(options, BoundPort(app));
            KubeconfigWriter.Write(dir, baseAddress, tls.Authority, token);
            stages.Mark(StartupStage.KubeconfigWritten);
            stages.Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BerthServer)));
            return new RunningServer(app, tls, dir, baseAddress, token);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            tls.Serving.Dispose();
            tls.Authority.Dispose();
            throw;
        }
    }

    /// <summary>The URL clients use: the bind address, or loopback when bound to every interface.</summary>
    internal static Uri AdvertisedAddress(ServerOptions options, int port)
    {
        var bind = options.BindIPAddress();
        var host = bind.Equals(IPAddress.Any) ? IPAddress.Loopback : bind.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : bind;
        return new UriBuilder(Uri.UriSchemeHttps, host.ToString(), port).Uri;
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no bound address");
        return new Uri(first.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)).Port;
    }
}
