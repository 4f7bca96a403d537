using Berth.Client.Events;
using Berth.Client.Remote;
using Berth.Registry;
using Berth.Server.Options;

namespace Berth.Server.Hosting;

/// <summary>
/// The composition root of <c>berth agent</c>: a generic host (no API server, no store, no controllers) whose node
/// agent talks to a remote server through <see cref="RemoteApiClient"/>. Start order: event broadcaster, node
/// registration and status, pod CIDR, kubelet; the host stops them in reverse, so on SIGTERM the kubelet terminates
/// every pod within its grace (bounded by <c>--shutdown-grace-period</c>, critical pods last) while events and node
/// status still reach the server.
/// </summary>
/// <remarks>
/// <paramref name="configureServices"/> of <see cref="Build"/> is the extension point for components that run next
/// to the kubelet on every node (the service proxy): one call adds their services after the agent's own.
/// </remarks>
internal static class AgentHost
{
    /// <summary>Builds the host; throws <see cref="IOException"/>/<see cref="FileNotFoundException"/> when the token or CA cannot be read.</summary>
    public static IHost Build(AgentOptions options, HostingMode mode, Action<IServiceCollection>? configureServices = null)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }
        var clientOptions = RemoteApiClientOptions.FromFiles(new Uri(options.Server), options.TokenFile, options.ResolveCertificateAuthority());
        var dir = DataDirectory.Prepare(options.EffectiveDataDir());
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [], ApplicationName = "berth-agent", DisableDefaults = true, ContentRootPath = dir.Root,
        });
        ConfigureLogging(builder.Logging, mode);
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
            NodeAgentSettings.AgentCgroupName(options.NodeName)));
        configureServices?.Invoke(builder.Services);
        return builder.Build();
    }

    /// <summary>
    /// Runs <c>berth agent</c> until SIGTERM/SIGINT (ConsoleLifetime); prints one <c>berth: agent … started</c> line
    /// once every component started. Returns the exit code (1 for unusable options or files).
    /// </summary>
    public static async Task<int> RunAsync(AgentOptions options, CancellationToken cancellationToken)
    {
        IHost host;
        try
        {
            host = Build(options, HostingMode.Console);
        }
        catch (Exception error) when (error is IOException or ArgumentException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"berth: error: {error.Message}").ConfigureAwait(false);
            return 1;
        }
        using (host)
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"berth: agent {options.NodeName} started for {options.Server} (data dir {options.EffectiveDataDir()})")
                .ConfigureAwait(false);
            await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
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
