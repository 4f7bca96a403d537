using Berth.Server.Cli;
using Berth.Server.Hosting;
using Berth.Server.Options;

namespace Berth.Server;

/// <summary>
/// Entry point of the <c>berth</c> executable: parses the command line and runs the chosen command. The
/// composition root is <see cref="ServerHost"/>; its remarks give the component startup order.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) =>
        BerthCommandLine.InvokeAsync(BerthCommandLine.Create(RunServerAsync), args);

    /// <summary>
    /// Runs <c>berth server</c> until SIGTERM/SIGINT (ConsoleLifetime stops the host, hosted services in LIFO order,
    /// the store last). Prints where the kubeconfig is, then one <c>berth: serving on URL</c> line once ready.
    /// </summary>
    internal static async Task<int> RunServerAsync(ServerOptions options, CancellationToken cancellationToken)
    {
        RunningServer server;
        try
        {
            server = await BerthServer.StartAsync(options, HostingMode.Console, null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or InvalidOperationException or ArgumentException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"berth: error: {error.Message}").ConfigureAwait(false);
            return 1;
        }
        await using (server.ConfigureAwait(false))
        {
            var output = Console.Out;
            await output.WriteLineAsync($"berth: kubeconfig written to {server.KubeconfigPath}").ConfigureAwait(false);
            await output.WriteLineAsync($"berth: to use it: export KUBECONFIG={server.KubeconfigPath}").ConfigureAwait(false);
            await output.WriteLineAsync($"berth: serving on {server.BaseAddress.GetLeftPart(UriPartial.Authority)}").ConfigureAwait(false);
            await server.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return 0;
    }
}
