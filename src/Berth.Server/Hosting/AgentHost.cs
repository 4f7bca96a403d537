using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Berth.ApiServer.Auth;
using Berth.ApiServer.Http;
using Berth.ApiServer.ResourceMetrics;
using Berth.ApiServer.Streaming;
using Berth.Client.Events;
using Berth.Client.Informers;
using Berth.Client.Remote;
using Berth.Kubelet.Stats;
using Berth.Machinery.Errors;
using Berth.Proxy;
using Berth.Registry;
using Berth.Server.Http;
using Berth.Server.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Server.Hosting;

/// <summary>
/// The composition root of <c>berth agent</c>: no API server, no store, no controllers; the node agent talks to a
/// remote server through <see cref="RemoteApiClient"/>. Start order: event broadcaster, node registration and status,
/// pod CIDR, kubelet, then the kubelet endpoint (Kestrel on <c>--bind-address</c>:<c>--kubelet-port</c>, HTTPS with a
/// self-signed certificate pinned through the Node annotation, the same bearer token) that serves the pods/log and
/// pods/exec routes of this node's pods to the API server. The host stops them in reverse, so on SIGTERM the kubelet
/// terminates every pod within its grace (bounded by <c>--shutdown-grace-period</c>, critical pods last) while events
/// and node status still reach the server.
/// </summary>
/// <remarks>
/// <paramref name="configureServices"/> of <see cref="Build"/> is the extension point for components that run next
/// to the kubelet on every node (the service proxy): one call adds their services after the agent's own.
/// </remarks>
internal static class AgentHost
{
    /// <summary>Builds the host; throws <see cref="IOException"/>/<see cref="FileNotFoundException"/> when the token or CA cannot be read.</summary>
    public static WebApplication Build(AgentOptions options, HostingMode mode, Action<IServiceCollection>? configureServices = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }
        var clientOptions = RemoteApiClientOptions.FromFiles(new Uri(options.Server), options.TokenFile, options.ResolveCertificateAuthority());
        var dir = DataDirectory.Prepare(options.EffectiveDataDir());
        var bind = IPAddress.Parse(options.BindAddress);
        var port = options.KubeletPort == 0 ? FreePort(bind) : options.KubeletPort;
        var certificate = KubeletServingCertificate.Create(bind, TimeProvider.System);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // No appsettings reload, so no recursive file watch of the data directory (pods' volumes live under it).
            Args = ["--hostBuilder:reloadConfigOnChange=false"], ApplicationName = "berth-agent", ContentRootPath = dir.Root,
        });
        ConfigureLogging(builder.Logging, mode);
        ConfigureKestrel(builder.WebHost, bind, port, certificate);
        if (mode == HostingMode.Embedded)
        {
            builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IApiClient>(_ => new RemoteApiClient(clientOptions));
        builder.Services.AddSingleton(sp => new EventBroadcaster(sp.GetRequiredService<IApiClient>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EventBroadcaster>>()));
        builder.Services.AddHostedService<EventBroadcasterService>();
        builder.Services.AddNodeAgent(new NodeAgentSettings(options.NodeName, dir.Root, options.ShutdownGracePeriod,
            NodeAgentSettings.AgentCgroupName(options.NodeName)), node => new()
        {
            NodeName = node.NodeName,
            RootDirectory = node.RootDirectory,
            InternalIP = options.BindAddress,
            KubeletPort = port,
            Annotations = new Dictionary<string, string> { [KubeletServingCertificate.PinAnnotation] = KubeletServingCertificate.Sha256(certificate) },
        });
        builder.Services.AddResourceAnalyzer(options.NodeName);
        if (options.RunProxy)
        {
            builder.Services.AddSingleton(sp => new SharedInformerFactory(sp.GetRequiredService<IApiClient>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
            builder.Services.AddServiceProxy(new ProxyOptions { NodePortAddress = bind, NodeName = options.NodeName });
        }
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(certificate.Dispose);
        ConfigurePipeline(app, clientOptions.Token, options.RunProxy);
        return app;
    }

    /// <summary>
    /// The kubelet endpoint: errors, the bearer token, then pods/log and pods/exec, this node's resource metrics (the
    /// API server scrapes them for <c>kubectl top</c>) and /metrics with --proxy; everything else is 404.
    /// </summary>
    private static void ConfigurePipeline(WebApplication app, string token, bool proxyMetrics)
    {
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseBearerTokenAuthentication(token);
        app.MapPodStreaming();
        app.MapResourceMetrics();
        if (proxyMetrics)
        {
            app.MapProxyMetrics();
        }
        app.MapFallback(context => StatusWriter.WriteAsync(context, ApiErrors.NotFoundPath()));
    }

    private static void ConfigureKestrel(IWebHostBuilder webHost, IPAddress bind, int port, X509Certificate2 certificate)
    {
        webHost.UseKestrelHttpsConfiguration();
        webHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bind, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
    }

    /// <summary>A port the OS reports free on <paramref name="bind"/> (for <c>--kubelet-port 0</c>: the Node must name the port before Kestrel binds).</summary>
    private static int FreePort(IPAddress bind)
    {
        using var probe = new TcpListener(bind, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// Runs <c>berth agent</c> until SIGTERM/SIGINT (ConsoleLifetime); prints one <c>berth: agent … started</c> line
    /// once every component started. Returns the exit code (1 for unusable options or files).
    /// </summary>
    public static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        WebApplication host;
        try
        {
            host = Build(options, HostingMode.Console);
        }
        catch (Exception error) when (error is IOException or ArgumentException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"berth: error: {error.Message}").ConfigureAwait(false);
            return 1;
        }
        try
        {
            await using (host.ConfigureAwait(false))
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"berth: agent {options.NodeName} started for {options.Server} (data dir {options.EffectiveDataDir()})")
                    .ConfigureAwait(false);
                await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"berth: error: the agent stopped with an error: {error}").ConfigureAwait(false);
            return 1;
        }
        return 0;
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
}
