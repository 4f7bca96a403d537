using Berth.Storage;

namespace Berth.Server.Hosting;

/// <summary>
/// Runs the store's <see cref="Compactor"/> for the host's lifetime. Registered first among hosted services
/// (storage stage), so it stops last, after everything that writes to the store.
/// </summary>
internal sealed class CompactorService(Compactor compactor) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => compactor.RunAsync(stoppingToken);
}
