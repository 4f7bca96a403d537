using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Berth.Server.Hosting;

/// <summary>
/// The address clients reach the API server at, once Kestrel listens (the port may be chosen at start). Used by the
/// <c>kubernetes</c> Service bootstrap, which runs before the server starts listening.
/// </summary>
internal static class ApiServerAddress
{
    /// <summary>Completes after the host has started (ApplicationStarted) with the advertised https address.</summary>
    public static async Task<Uri> WhenStartedAsync(IServiceProvider services, Options.ServerOptions options, CancellationToken cancellationToken)
    {
        var lifetime = services.GetRequiredService<IHostApplicationLifetime>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()).ConfigureAwait(false))
        {
            await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        var first = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        var port = new Uri(first.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)).Port;
        return BerthServer.AdvertisedAddress(options, port);
    }
}
