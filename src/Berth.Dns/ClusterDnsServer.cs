using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using ARSoft.Tools.Net.Dns;
using Berth.Client.Informers;
using Berth.Dns.Zone;
using Berth.Machinery.Kinds;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Dns;

/// <summary>
/// Runs the cluster DNS server: Service and EndpointSlice informer events wake a loop that rebuilds the
/// <see cref="ZoneSnapshot"/> from the listers and publishes it; an ARSoft <see cref="DnsServer"/> answers UDP and
/// TCP queries on <see cref="ClusterDnsOptions.ListenAddress"/>:<see cref="ClusterDnsOptions.Port"/> through
/// <see cref="ClusterDnsResolver"/>. When the address cannot be bound (taken, or no privilege for port 53) the
/// server logs a warning and stays off; the rest of the host runs on. <see cref="StartAsync"/> returns after the
/// first snapshot is published.
/// </summary>
/// <remarks>Mirrors coredns/coredns plugin/kubernetes (controller.go watching Services and EndpointSlices).</remarks>
public sealed partial class ClusterDnsServer(
    SharedInformerFactory informers, ClusterDnsOptions options, ClusterDnsResolver resolver,
    ILogger<ClusterDnsServer> logger) : IHostedService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private DnsServer? _server;

    /// <summary>True while the DNS server is listening.</summary>
    public bool Listening => _server is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var services = informers.InformerFor(KindRegistry.Services);
        var slices = informers.InformerFor(KindRegistry.EndpointSlices);
        var wake = new ResourceEventHandlerFuncs
        {
            AddFunc = (_, _) => _wake.Writer.TryWrite(true),
            UpdateFunc = (_, _) => _wake.Writer.TryWrite(true),
            DeleteFunc = (_, _) => _wake.Writer.TryWrite(true),
        };
        services.AddEventHandler(wake);
        slices.AddEventHandler(wake);
        informers.Start(_stop.Token);
        await Task.WhenAll(services.WaitForCacheSyncAsync(cancellationToken), slices.WaitForCacheSyncAsync(cancellationToken)).ConfigureAwait(false);
        var serviceModels = services.TypedLister<V1Service>();
        var sliceModels = slices.TypedLister<V1EndpointSlice>();
        void Rebuild() => resolver.Publish(ZoneBuilder.Build(options.ClusterDomain.TrimEnd('.').ToLowerInvariant(), serviceModels.List(), sliceModels.List()));
        Rebuild();
        _running = Task.Run(() => RebuildLoopAsync(Rebuild, _stop.Token), CancellationToken.None);
        if (options.Port > 0)
        {
            _server = TryListen();
        }
    }

    private DnsServer? TryListen()
    {
        var endpoint = new IPEndPoint(options.ListenAddress, options.Port);
        var server = new DnsServer(new UdpServerTransport(endpoint), new TcpServerTransport(endpoint));
        server.QueryReceived += async (_, e) =>
        {
            if (e.Query is DnsMessage query)
            {
                e.Response = await resolver.ResolveAsync(query, _stop.Token).ConfigureAwait(false);
            }
        };
        try
        {
            server.Start();
            Log.Listening(logger, endpoint.ToString(), options.ClusterDomain);
            return server;
        }
        catch (SocketException ex)
        {
            Log.BindFailed(logger, endpoint.ToString(), ex.Message);
            ((IDisposable)server).Dispose();
            return null;
        }
    }

    private async Task RebuildLoopAsync(Action rebuild, CancellationToken cancellationToken)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false) && _wake.Reader.TryRead(out _))
            {
                rebuild();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_server is IDisposable server)
        {
            server.Dispose();
        }
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4201, EventName = "ClusterDnsListening", Level = LogLevel.Information,
            Message = "Cluster DNS listening on {Endpoint} (UDP and TCP) for {ClusterDomain}")]
        public static partial void Listening(ILogger logger, string endpoint, string clusterDomain);

        [LoggerMessage(EventId = 4202, EventName = "ClusterDnsBindFailed", Level = LogLevel.Warning,
            Message = "Cluster DNS is off: cannot listen on {Endpoint}: {Reason}")]
        public static partial void BindFailed(ILogger logger, string endpoint, string reason);
    }
}
