using Berth.ApiServer.Streaming;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Streaming.Logs;
using Berth.Machinery.Errors;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Streaming;

/// <summary>
/// The node agent's side of pods/log, pods/exec and pods/attach, in-process: logs are read from the CRI log files the
/// runtime writes, exec and attach run through <see cref="IContainerStreamingRuntime"/>. Mirrors the kubelet's containerLogs and exec
/// handlers (kubernetes/kubernetes pkg/kubelet/server/server.go → kubelet_pods.go GetKubeletContainerLogs, GetExec).
/// </summary>
/// <remarks>Singleton; thread-safe; every request is independent.</remarks>
public sealed partial class KubeletStreamingBackend : IPodStreamingBackend
{
    private readonly IContainerRuntime _runtime;
    private readonly IContainerStreamingRuntime _streaming;
    private readonly ContainerLogLocator _locator;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="runtime">Where container instances and their log paths are looked up.</param>
    /// <param name="streaming">Runs interactive commands in containers.</param>
    /// <param name="logRoot">The runtime's log root (kubelet's /var/log/pods).</param>
    /// <param name="maxLogFiles">The runtime's containerLogMaxFiles, to find rotated files.</param>
    public KubeletStreamingBackend(IContainerRuntime runtime, IContainerStreamingRuntime streaming, string logRoot,
        int maxLogFiles, TimeProvider time, ILogger<KubeletStreamingBackend> logger)
    {
        (_runtime, _streaming, _time, _logger) = (runtime, streaming, time, logger);
        _locator = new ContainerLogLocator(runtime, logRoot, maxLogFiles);
    }

    public async Task StreamLogsAsync(V1Pod pod, PodLogOptions options, Stream output, CancellationToken cancellationToken)
    {
        var source = await _locator.LocateAsync(pod, options.Container, options.Previous, cancellationToken).ConfigureAwait(false);
        try
        {
            await new ContainerLogReader(source, options, output, _time).ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            Log.LogFileRefused(_logger, pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", options.Container, e.Message);
            throw ApiErrors.BadRequest($"the log of container \"{options.Container}\" in pod \"{pod.Metadata?.Name}\" cannot be read: " +
                "it is not a regular file inside the container's log directory");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7201, EventName = "LogFileRefused", Level = LogLevel.Warning,
            Message = "Refused to read the log of container {Container} of pod {Namespace}/{Pod}: {Reason}")]
        public static partial void LogFileRefused(ILogger logger, string @namespace, string pod, string container, string reason);
    }
}
