using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// Watches namespaces and, for each one with a deletionTimestamp, deletes its contents and then finalizes it
/// (<see cref="NamespacedResourcesDeleter"/>). Level-triggered: events only enqueue names; a namespace whose content is
/// still terminating is looked at again after the estimated time.
/// Mirrors kubernetes/kubernetes pkg/controller/namespace/namespace_controller.go (NamespaceController).
/// </summary>
/// <remarks>Call <see cref="RunAsync"/> once; it returns when the token fires. Uses <see cref="IApiClient"/> only.</remarks>
public sealed partial class NamespaceController : IDisposable
{
    private readonly SharedInformerFactory _informers;
    private readonly NamespacedResourcesDeleter _deleter;
    private readonly KeyedWorker _worker;
    private readonly ILogger _logger;

    public NamespaceController(IApiClient api, SharedInformerFactory informers, TimeProvider time, ILogger<NamespaceController> logger)
    {
        _informers = informers;
        _logger = logger;
        _deleter = new NamespacedResourcesDeleter(api, time);
        _worker = new KeyedWorker(nameof(NamespaceController), SyncAsync, time, logger);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informer = _informers.InformerFor(KindRegistry.Namespaces);
        informer.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (ns, _) => EnqueueIfDeleting(ns),
            UpdateFunc = (_, ns) => EnqueueIfDeleting(ns),
        });
        _informers.Start(cancellationToken);
        try
        {
            await informer.WaitForCacheSyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before the first list finished: nothing to do, and stopping is not an error.
            return;
        }
        await _worker.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _worker.Dispose();

    private void EnqueueIfDeleting(JsonObject ns)
    {
        if (ns.GetString("metadata", "deletionTimestamp") is not null && ns.GetName() is { } name)
        {
            _worker.Enqueue(name);
        }
    }

    private async Task SyncAsync(string name, CancellationToken cancellationToken)
    {
        var again = await _deleter.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        if (again is { } delay)
        {
            Log.ContentRemaining(_logger, name, delay.TotalSeconds);
            _worker.EnqueueAfter(name, delay);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4020, Level = LogLevel.Debug, Message = "Namespace {Namespace} still has content; checking again in {Seconds} s")]
        public static partial void ContentRemaining(ILogger logger, string @namespace, double seconds);
    }
}
