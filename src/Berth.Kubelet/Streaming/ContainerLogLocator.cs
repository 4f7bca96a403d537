using Berth.Kubelet.Runtime;
using Berth.Kubelet.Streaming.Logs;
using Berth.Machinery.Errors;
using k8s.Models;

namespace Berth.Kubelet.Streaming;

/// <summary>
/// Maps a log request to the files of one container instance. The instance comes from the pod status
/// (<see cref="ContainerLogStatus"/>); its log path from the runtime's record of that container, or, for an instance
/// the runtime already removed (its logs are kept), from the CRI layout and its attempt number (restartCount, minus
/// one for the last terminated instance). Every file must lie in
/// <c>&lt;real log root&gt;/&lt;namespace&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/</c>; the pod and container
/// directories themselves are not resolved, so a symlink there cannot redirect reads.
/// Mirrors kubernetes/kubernetes pkg/kubelet/kuberuntime/kuberuntime_container.go (GetContainerLogs) and
/// pkg/kubelet/kuberuntime/helpers.go (BuildContainerLogsDirectory).
/// </summary>
/// <remarks>Thread-safe (stateless apart from its dependencies).</remarks>
internal sealed class ContainerLogLocator(IContainerRuntime runtime, string logRoot, int maxFiles)
{
    public async Task<LogSource> LocateAsync(V1Pod pod, string container, bool previous, CancellationToken cancellationToken)
    {
        var choice = ContainerLogStatus.Validate(pod, container, previous);
        var (ns, name, uid) = (pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", pod.Metadata?.Uid ?? "");
        var podDirectory = $"{ns}_{name}_{uid}";
        if (!IsSegment(ns) || !IsSegment(name) || !IsSegment(uid) || !IsSegment(container))
        {
            throw ApiErrors.BadRequest($"container \"{container}\" in pod \"{name}\" is not available");
        }
        var realRoot = LogFileGuard.RealDirectory(logRoot) ?? throw NotAvailable(container, name, previous);
        var realDirectory = Path.Combine(realRoot, podDirectory, container);
        var id = ParseContainerId(choice.ContainerId);
        var containers = await runtime.ListContainersAsync(cancellationToken).ConfigureAwait(false);
        var record = containers.FirstOrDefault(c => id is not null && c.Id == id && c.PodUid == uid && c.ContainerName == container);
        if (record is not null)
        {
            return new LogSource(record.LogPath, maxFiles, realDirectory,
                record.State == ContainerState.Running ? ct => IsRunningAsync(record.Id, ct) : _ => Task.FromResult(false));
        }
        var attempt = choice.RestartCount - (choice.IsLastTerminated ? 1 : 0);
        var livePath = Path.Combine(logRoot, podDirectory, container, $"{Math.Max(attempt, 0)}.log");
        return File.Exists(livePath)
            ? new LogSource(livePath, maxFiles, realDirectory, _ => Task.FromResult(false))
            : throw NotAvailable(container, name, previous);
    }

    /// <summary><c>berth://&lt;id&gt;</c> → the id; null for another runtime's or a malformed URI.</summary>
    public static ContainerId? ParseContainerId(string uri)
    {
        var prefix = ContainerId.RuntimeType + "://";
        return uri.StartsWith(prefix, StringComparison.Ordinal) && ContainerId.IsValid(uri[prefix.Length..])
            ? new ContainerId(uri[prefix.Length..])
            : null;
    }

    private async Task<bool> IsRunningAsync(ContainerId id, CancellationToken cancellationToken)
    {
        try
        {
            var status = await runtime.GetContainerStatusAsync(id, cancellationToken).ConfigureAwait(false);
            return status.State is ContainerState.Running or ContainerState.Created;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }

    private static ApiException NotAvailable(string container, string pod, bool previous) => previous
        ? ApiErrors.BadRequest($"previous terminated container \"{container}\" in pod \"{pod}\" not found")
        : ApiErrors.BadRequest($"container \"{container}\" in pod \"{pod}\" is not available");

    private static bool IsSegment(string s) => s.Length > 0 && s != "." && s != ".." && !s.Contains('/') && !s.Contains('\0');
}
