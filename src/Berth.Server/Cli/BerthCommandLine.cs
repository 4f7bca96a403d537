using System.CommandLine;
using Berth.Server.Options;

namespace Berth.Server.Cli;

/// <summary>
/// The <c>berth</c> command tree. Unknown commands or flags are parse errors: the error and usage go to stderr
/// and the exit code is non-zero. Signal handling is left to the host (ConsoleLifetime), not System.CommandLine,
/// so that SIGTERM runs the graceful stop instead of a forced exit.
/// </summary>
internal static class BerthCommandLine
{
    /// <summary>Builds the root command; <paramref name="runServer"/> runs <c>berth server</c> until it stops.</summary>
    public static RootCommand Create(Func<ServerOptions, CancellationToken, Task<int>> runServer)
    {
        var root = new RootCommand("Berth: a single-machine Kubernetes API server, controllers and kubelet");
        root.Subcommands.Add(new ServerCommand().Create(runServer));
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(new AgentCommand().Create(Hosting.AgentHost.RunAsync));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static Task<int> InvokeAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration
        {
            ProcessTerminationTimeout = null,
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        return root.Parse(args).InvokeAsync(configuration);
    }
}
