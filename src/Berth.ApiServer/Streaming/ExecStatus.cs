using System.Text.Json.Nodes;
using Berth.Machinery.Errors;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// The Status objects an exec session ends with, written once on the status channel. kubectl maps
/// NonZeroExitCode + cause ExitCode to <c>command terminated with exit code N</c> and its own exit code N.
/// Mirrors kubernetes/kubernetes pkg/kubelet/cri/streaming/remotecommand/exec.go (ServeExec) and the CRI runtimes'
/// <c>error executing command [argv], exit code N</c> error text.
/// </summary>
public static class ExecStatus
{
    public static JsonObject Success() => new() { ["metadata"] = new JsonObject(), ["status"] = "Success" };

    /// <summary>Success for 0; otherwise Failure with reason NonZeroExitCode and the code as an ExitCode cause.</summary>
    public static JsonObject ForExitCode(IReadOnlyList<string> command, int exitCode) => exitCode == 0
        ? Success()
        : new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject
                {
                    ["reason"] = "ExitCode",
                    ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        };

    /// <summary>An error after the session started (e.g. the command could not be run): its Status as it is.</summary>
    public static JsonObject ForError(ApiException error) => StatusJson.FromException(error);
}
