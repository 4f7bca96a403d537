using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Proxy;

/// <summary>
/// Runs the service proxy as a hosted service: registers handlers on the shared Service and EndpointSlice informers
/// that feed the <see cref="Proxier"/> (and on the Pod informer for this node's host ports, <see cref="HostPorts.HostPortMapper"/>), starts the informers (the factory's <c>Start</c> only starts informers not yet
/// running, so this works in <c>berth server</c> after the controllers started and in a standalone agent), waits for
/// both caches and for its handlers to have seen the initial lists, then runs the sync loop. <see cref="StartAsync"/> returns after the first sync, so the proxy serves
/// every existing Service when the host reports started. <see cref="StopAsync"/> closes listeners and resets the
/// connections still open.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes cmd/kube-proxy/app/server.go (ProxyServer.Run) and pkg/proxy/config/config.go (ServiceConfig, EndpointSliceConfig).</remarks>
public sealed partial class ProxyServer(SharedInformerFactory informers, Proxier proxier, TimeProvider time, ILogger<ProxyServer> logger)
    : IHostedService
{
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var services = informers.InformerFor(KindRegistry.Services);
        var slices = informers.InformerFor(KindRegistry.EndpointSlices);
        var serviceModels = services.TypedLister<V1Service>();
        var sliceModels = slices.TypedLister<V1EndpointSlice>();
        var serviceHandler = services.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (obj, _) => proxier.OnServiceUpdate(null, serviceModels.ToModel(obj)),
            UpdateFunc = (old, obj) => proxier.OnServiceUpdate(serviceModels.ToModel(old), serviceModels.ToModel(obj)),
            DeleteFunc = (obj, _) => proxier.OnServiceUpdate(serviceModels.ToModel(obj), null),
        });
        var sliceHandler = slices.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (obj, _) => proxier.OnEndpointSliceUpdate(sliceModels.ToModel(obj), removed: false),
            UpdateFunc = (_, obj) => proxier.OnEndpointSliceUpdate(sliceModels.ToModel(obj), removed: false),
            DeleteFunc = (obj, _) => proxier.OnEndpointSliceUpdate(sliceModels.ToModel(obj), removed: true),
        });
        var podHandler = proxier.HostPorts is { } hostPorts ? informers.InformerFor(KindRegistry.Pods).AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (obj, _) => hostPorts.OnPod(obj, deleted: false),
            UpdateFunc = (_, obj) => hostPorts.OnPod(obj, deleted: false),
            DeleteFunc = (obj, _) => hostPorts.OnPod(obj, deleted: true),
        }) : null;
        informers.Start(_stop.Token);
        await Task.WhenAll(services.WaitForCacheSyncAsync(cancellationToken), slices.WaitForCacheSyncAsync(cancellationToken))
            .ConfigureAwait(false);
        while (!serviceHandler.HasSynced || !sliceHandler.HasSynced || podHandler is { HasSynced: false })
        {
            // The caches are complete; wait until our handlers have been handed every object of the initial lists.
            await Task.Delay(TimeSpan.FromMilliseconds(2), time, cancellationToken).ConfigureAwait(false);
        }
        await proxier.SyncAsync().ConfigureAwait(false);
        _running = Task.Run(() => proxier.RunAsync(_stop.Token), CancellationToken.None);
        Log.Started(logger, proxier.Snapshot.Ports.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        try
        {
            await proxier.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's stop timeout ended the drain; remaining connections are reset when the process exits.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4100, EventName = "ProxyStarted", Level = LogLevel.Information,
            Message = "Service proxy started with {ServicePorts} service ports")]
        public static partial void Started(ILogger logger, int servicePorts);
    }
}
