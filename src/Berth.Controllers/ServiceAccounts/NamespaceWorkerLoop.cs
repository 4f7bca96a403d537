using Berth.Client.Informers;
using Berth.Controllers.Namespaces;

namespace Berth.Controllers.ServiceAccounts;

/// <summary>
/// The run loop the per-namespace controllers share (default ServiceAccount, root CA publisher): start the factory's
/// informers, wait until both caches have synced, then run the worker until <paramref name="cancellationToken"/>
/// fires. A stop before the first lists finish returns quietly.
/// </summary>
internal static class NamespaceWorkerLoop
{
    public static async Task RunAsync(SharedInformerFactory informers, KeyedWorker worker, ISharedInformer namespaces,
        ISharedInformer objects, CancellationToken cancellationToken)
    {
        informers.Start(cancellationToken);
        try
        {
            await Task.WhenAll(namespaces.WaitForCacheSyncAsync(cancellationToken), objects.WaitForCacheSyncAsync(cancellationToken))
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before the first list finished: nothing to do, and stopping is not an error.
            return;
        }
        await worker.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues the namespace <paramref name="ns"/> unless it is null or empty (an event that concerns none).</summary>
    public static void Enqueue(KeyedWorker worker, string? ns)
    {
        if (!string.IsNullOrEmpty(ns))
        {
            worker.Enqueue(ns);
        }
    }
}
