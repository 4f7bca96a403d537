using Berth.ApiServer;
using Berth.ApiServer.Auth;
using Berth.ApiServer.Discovery;
using Berth.ApiServer.Health;
using Berth.ApiServer.Http;
using Berth.ApiServer.OpenApi;
using Berth.ApiServer.ResourceMetrics;
using Berth.ApiServer.Streaming;
using Berth.Dns;
using Berth.Machinery.Errors;
using Berth.Proxy;
using Berth.Server.Hosting.Controllers;
using Berth.Server.Http;
using Berth.Server.Options;
using Berth.Server.Tls;
using Berth.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Server.Hosting;

/// <summary>
/// The composition root: one <see cref="WebApplication"/> whose Kestrel listens only on <c>--bind</c>:<c>--port</c>
/// over HTTPS (HTTP/1.1 and HTTP/2), with every component registered in startup order.
/// </summary>
/// <remarks>
/// <para>Startup order (design-anchors §4). Hosted services start in registration order and the generic host stops
/// them in reverse (LIFO), so they are registered as:</para>
/// <list type="number">
/// <item>Storage — the store is a container-owned singleton that <see cref="BerthServer"/> resolves (opens) first, so the
/// container disposes it last; its background work (the compactor) is the first hosted service.</item>
/// <item>ApiServer — discovery, OpenAPI, health and the resource handlers over the store.</item>
/// <item>Controllers — bootstrap controllers first (their StartAsync must finish the bootstrap, e.g. default
/// namespaces, because <c>/readyz</c> turns ready only after every StartAsync returned), then the level-triggered ones.</item>
/// <item>Proxy — the service proxy listeners.</item>
/// <item>Kubelet — last to start, first to stop: on SIGTERM pods get their grace period while controllers still
/// update endpoints and the proxy still routes away from terminating pods; the API and the store go down last.</item>
/// </list>
/// <para>Kestrel listens before all of them (<see cref="ListenFirstStart"/>): <c>/readyz</c> answers 503 until they have
/// started, and stops first, as before.</para>
/// </remarks>
internal static class ServerHost
{
    /// <summary>
    /// Builds the host. <paramref name="tls"/> may still be running (<see cref="ServerHostTls.PrepareAsync"/>): it is
    /// read only when Kestrel's options are first resolved, at host start.
    /// </summary>
    public static WebApplication Build(ServerOptions options, DataDirectory dir, Task<ServingMaterial> tls, string token,
        TimeProvider time, HostingMode mode, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Berth has no appsettings to reload: without this the host watches its content root (recursively, with a
            // file-watcher thread and an inotify instance) for appsettings.json changes.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ApplicationName = "berth",
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging, mode);
        ConfigureKestrel(builder.WebHost, options, tls);
        if (mode == HostingMode.Embedded)
        {
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        }
        else
        {
            // A process-wide policy (it collects the whole process): only when the server owns its process.
            builder.Services.AddSingleton<IdleMemoryTrimService>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<IdleMemoryTrimService>());
            builder.Services.AddSingleton<IMemoryTrimScheduler>(sp => sp.GetRequiredService<IdleMemoryTrimService>());
            if (options.WarmUpPodPath)
            {
                // Also process-wide and one-off: the pod path compiled once after ready, not by the first burst of pods.
                builder.Services.AddSingleton<PodPathWarmup>();
                builder.Services.AddHostedService<PodPathWarmupService>();
            }
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        AddStorage(builder.Services, options, dir);
        builder.Services.AddServiceAccountTokens(dir);
        builder.Services.AddPodStartQueue(options);
        builder.Services.AddSingleton(sp => Berth.Registry.Core.Services.Allocation.ServiceStrategies.CatalogWith(options.ServiceAllocation(), sp.GetRequiredService<ILoggerFactory>()));
        AddApiServer(builder.Services);
        AddControllers(builder.Services, options, dir);
        if (!options.DisableKubeProxy)
        {
            builder.Services.AddServiceProxy(new Berth.Proxy.ProxyOptions { NodePortAddress = options.BindIPAddress(), NodeName = options.NodeName, Mode = options.ProxyMode });
        }
        builder.Services.AddClusterDns(new Berth.Dns.ClusterDnsOptions { ListenAddress = System.Net.IPAddress.Parse(options.ClusterDns), Port = options.DnsPort, ClusterDomain = options.ClusterDomain });
        builder.Services.AddKubelet(options, dir);
        builder.Services.AddRemotePodStreaming(options.NodeName, token);
        builder.Services.AddRemoteResourceMetrics(options.NodeName, token);
        configureServices?.Invoke(builder.Services);
        builder.Services.StartAfterListening();
        var app = builder.Build();
        ConfigurePipeline(app, token, options);
        return app;
    }

    /// <summary>Stage 1: the store (opened on first resolution, disposed by the container) and its compactor.</summary>
    private static void AddStorage(IServiceCollection services, ServerOptions options, DataDirectory dir)
    {
        services.AddSingleton(StoreOpener.StoreOptionsFor(options, dir));
        services.AddSingleton(sp => StoreOpener.Open(options, sp.GetRequiredService<StoreOptions>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<Compactor>();
        services.AddHostedService<CompactorService>();
    }

    /// <summary>Stage 2: discovery, OpenAPI, health and the resource API.</summary>
    private static void AddApiServer(IServiceCollection services)
    {
        services.AddServerReadiness();
        services.AddDiscovery();
        services.AddOpenApiV3();
        services.AddResourceApi();
        services.AddRbacAuthorization();
    }

    /// <summary>Stage 3: the shared informers and the controllers (bootstrap first).</summary>
    private static void AddControllers(IServiceCollection services, ServerOptions options, DataDirectory dir)
    {
        services.AddSingleton(sp => new Berth.Client.Informers.SharedInformerFactory(
            sp.GetRequiredService<Berth.Registry.IApiClient>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<Berth.Controllers.Namespaces.SystemNamespaces>();
        services.AddSingleton<Berth.Controllers.PriorityClasses.SystemPriorityClassBootstrap>();
        services.AddSingleton(sp => new Berth.Client.Events.EventBroadcaster(sp.GetRequiredService<Berth.Registry.IApiClient>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Berth.Client.Events.EventBroadcaster>>()));
        services.AddHostedService<EventBroadcasterService>();
        services.AddCoreControllers(options);
        services.AddNetworkControllers(options);
        services.AddWorkloadControllers();
        services.AddBatchControllers();
        services.AddDisruptionController();
        services.AddResourceQuotaController();
        services.AddHorizontalPodAutoscaler();
        services.AddDaemonSetController();
        services.AddStatefulSetController();
        services.AddStorageControllers(dir);
        services.AddRbacControllers();
        services.AddHostedService<ControllersService>();
    }

    private static void ConfigureKestrel(IWebHostBuilder webHost, ServerOptions options, Task<ServingMaterial> tls)
    {
        webHost.UseKestrelHttpsConfiguration();
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.BindIPAddress(), options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(tls.GetAwaiter().GetResult().Serving);
            });
        });
    }

    private static void ConfigureLogging(ILoggingBuilder logging, HostingMode mode)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
        });
        logging.SetMinimumLevel(mode == HostingMode.Console ? LogLevel.Information : LogLevel.Warning);
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    /// <summary>Errors (outermost), then authentication, authorization, then endpoints; anything unmatched is a 404 Status.</summary>
    private static void ConfigurePipeline(WebApplication app, string token, ServerOptions options)
    {
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseBearerTokenAuthentication(token);
        app.UseRbacAuthorization();
        app.MapHealth();
        app.MapDiscovery();
        app.MapOpenApiV3();
        app.MapPodStreaming();
        app.MapSelfReviews();
        app.MapResourceMetrics();
        if (!options.DisableKubeProxy)
        {
            app.MapProxyMetrics();
        }
        app.MapResourceApi();
        app.MapFallback(context => StatusWriter.WriteAsync(context, ApiErrors.NotFoundPath()));
    }
}
