using Berth.Machinery.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// Builds <see cref="PodAttachOptions"/> from the pods/attach query (<c>container</c>, <c>stdin</c>, <c>stdout</c>,
/// <c>stderr</c>, <c>tty</c>). As upstream: a requested tty drops stderr, at least one stream is required, and the
/// session's tty is the container spec's, which cannot carry stderr (the CRI's <c>tty and stderr cannot both be
/// true</c>). Mirrors kubernetes/kubernetes pkg/kubelet/cri/streaming/remotecommand/httpstream.go (NewOptions) and
/// pkg/kubelet/cri/streaming/server.go (validateAttachRequest).
/// </summary>
internal static class AttachOptionsParser
{
    public static PodAttachOptions Parse(IQueryCollection query, V1Pod pod)
    {
        var stdin = StreamingQuery.Bool(query, "stdin");
        var stdout = StreamingQuery.Bool(query, "stdout");
        var requestedTty = StreamingQuery.Bool(query, "tty");
        var stderr = StreamingQuery.Bool(query, "stderr") && !requestedTty;
        if (!stdin && !stdout && !stderr)
        {
            throw ApiErrors.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        var container = StreamContainerSelector.ForExec(pod, StreamingQuery.String(query, "container"));
        var tty = SpecTty(pod, container);
        if (tty && stderr)
        {
            throw ApiErrors.BadRequest("tty and stderr cannot both be true");
        }
        return new PodAttachOptions(container, stdin, stdout, stderr, tty);
    }

    private static bool SpecTty(V1Pod pod, string name) =>
        (pod.Spec?.Containers ?? []).Concat(pod.Spec?.InitContainers ?? []).FirstOrDefault(c => c.Name == name)?.Tty
        ?? pod.Spec?.EphemeralContainers?.FirstOrDefault(c => c.Name == name)?.Tty ?? false;
}
