using Berth.Machinery.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// Builds <see cref="PodExecOptions"/> from the pods/exec query: <c>command</c> repeated once per argv element,
/// <c>container</c>, and the stdin/stdout/stderr/tty flags. Like upstream, at least one stream is required and a tty
/// drops stderr. Mirrors kubernetes/kubernetes pkg/kubelet/cri/streaming/remotecommand/httpstream.go (NewOptions).
/// </summary>
internal static class ExecOptionsParser
{
    public static PodExecOptions Parse(IQueryCollection query, V1Pod pod)
    {
        var command = StreamingQuery.All(query, "command");
        if (command.Count == 0 || command[0].Length == 0)
        {
            throw ApiErrors.BadRequest("you must specify at least one command for the container");
        }
        if (command.Any(c => c.Contains('\0')))
        {
            throw ApiErrors.BadRequest("command arguments must not contain NUL characters");
        }
        var stdin = StreamingQuery.Bool(query, "stdin");
        var stdout = StreamingQuery.Bool(query, "stdout");
        var stderr = StreamingQuery.Bool(query, "stderr");
        var tty = StreamingQuery.Bool(query, "tty");
        if (!stdin && !stdout && !stderr)
        {
            throw ApiErrors.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        var container = StreamContainerSelector.ForExec(pod, StreamingQuery.String(query, "container"));
        return new PodExecOptions(container, command, stdin, stdout, stderr && !tty, tty);
    }
}
