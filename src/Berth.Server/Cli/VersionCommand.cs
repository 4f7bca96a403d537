using System.CommandLine;
using System.Reflection;
using Berth.ApiServer.Discovery;

namespace Berth.Server.Cli;

/// <summary><c>berth version</c>: the build of this binary and the Kubernetes version it reports to clients.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the Berth build and the Kubernetes API version it serves");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var build = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            output.WriteLine($"Berth version: {build}");
            output.WriteLine($"Kubernetes version: {ServerVersion.GitVersion}");
            output.WriteLine($"Platform: {ServerVersion.Platform()}");
            return 0;
        });
        return command;
    }
}
