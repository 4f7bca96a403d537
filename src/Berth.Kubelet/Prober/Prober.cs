using Berth.Client.Events;
using Berth.Kubelet.Events;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Util;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Prober;

/// <summary>
/// Runs one probe of one container (exec, httpGet, tcpSocket or grpc), retrying a probe that could not run up to
/// three times, and records the upstream events: <c>Unhealthy</c> "Liveness probe failed: &lt;output&gt;" on failure,
/// "&lt;Type&gt; probe errored: &lt;error&gt;" when it could not run, <c>ProbeWarning</c> on a warning.
/// Mirrors kubernetes/kubernetes pkg/kubelet/prober/prober.go.
/// </summary>
/// <remarks>Thread-safe and stateless; every worker shares one instance.</remarks>
public sealed partial class Prober(IContainerRuntime runtime, HttpClient httpClient, IEventRecorder recorder,
    TimeProvider time, ILogger<Prober> logger)
{
    private const int MaxProbeRetries = 3;
    private readonly ExecProber _exec = new(runtime);
    private readonly HttpProber _http = new(httpClient, time);
    private readonly TcpProber _tcp = new(time);
    private readonly GrpcProber _grpc = new(httpClient, time);

    /// <summary>
    /// Probes and returns the result, or null when the probe errored (the worker then keeps its previous result).
    /// A container without this probe is a success.
    /// </summary>
    public async Task<ProbeResult?> ProbeAsync(ProbeType type, V1Pod pod, V1PodStatus status, V1Container container,
        ContainerId containerId, CancellationToken cancellationToken)
    {
        var spec = ProbeSpecs.For(container, type);
        if (spec is null)
        {
            return ProbeResult.Success;
        }

        var outcome = await RunWithRetriesAsync(spec, container, containerId, status.PodIP, cancellationToken).ConfigureAwait(false);
        var name = type.Name();
        switch (outcome.Kind)
        {
            case ProbeOutcomeKind.Success:
                return ProbeResult.Success;
            case ProbeOutcomeKind.Warning:
                recorder.ContainerEvent(pod, container.Name, EventTypes.Warning, EventReasons.ContainerProbeWarning, $"{name} probe warning: {outcome.Output}");
                return ProbeResult.Success;
            case ProbeOutcomeKind.Failure:
                Log.ProbeFailed(logger, name, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, container.Name);
                recorder.ContainerEvent(pod, container.Name, EventTypes.Warning, EventReasons.ContainerUnhealthy, $"{name} probe failed: {outcome.Output}");
                return ProbeResult.Failure;
            default:
                Log.ProbeErrored(logger, name, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, container.Name, outcome.Output);
                recorder.ContainerEvent(pod, container.Name, EventTypes.Warning, EventReasons.ContainerUnhealthy, $"{name} probe errored: {outcome.Output}");
                return null;
        }
    }

    private async Task<ProbeOutcome> RunWithRetriesAsync(V1Probe spec, V1Container container, ContainerId id, string? podIP,
        CancellationToken cancellationToken)
    {
        ProbeOutcome outcome = new(ProbeOutcomeKind.Unknown, "");
        for (var attempt = 0; attempt < MaxProbeRetries; attempt++)
        {
            try
            {
                outcome = await RunAsync(spec, container, id, podIP, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Machinery.Errors.ApiException or IOException or InvalidOperationException)
            {
                outcome = new ProbeOutcome(ProbeOutcomeKind.Unknown, ex.Message);
            }

            if (outcome.Kind != ProbeOutcomeKind.Unknown)
            {
                return outcome;
            }
        }

        return outcome;
    }

    private Task<ProbeOutcome> RunAsync(V1Probe spec, V1Container container, ContainerId id, string? podIP,
        CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(spec.TimeoutSeconds is > 0 ? spec.TimeoutSeconds.Value : 1);
        if (spec.Exec is { } exec)
        {
            return _exec.ProbeAsync(id, [.. exec.Command ?? []], timeout, cancellationToken);
        }

        if (spec.HttpGet is { } httpGet)
        {
            return _http.ProbeAsync(httpGet, container, podIP, timeout, cancellationToken);
        }

        if (spec.TcpSocket is { } tcp)
        {
            var host = string.IsNullOrEmpty(tcp.Host) ? podIP : tcp.Host;
            if (string.IsNullOrEmpty(host) || !HttpTargets.TryResolvePort(tcp.Port, container, out var port, out _))
            {
                return Task.FromResult(new ProbeOutcome(ProbeOutcomeKind.Unknown, "failed to resolve the tcpSocket target"));
            }

            return _tcp.ProbeAsync(host, port, timeout, cancellationToken);
        }

        if (spec.Grpc is { } grpc && !string.IsNullOrEmpty(podIP))
        {
            return _grpc.ProbeAsync(podIP, grpc.Port, grpc.Service, timeout, cancellationToken);
        }

        return Task.FromResult(new ProbeOutcome(ProbeOutcomeKind.Unknown, "missing probe handler or pod IP"));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5501, Level = LogLevel.Debug, Message = "{ProbeType} probe failed for container {Container} of pod {Namespace}/{Pod}")]
        public static partial void ProbeFailed(ILogger logger, string probeType, string? @namespace, string? pod, string container);

        [LoggerMessage(EventId = 5502, Level = LogLevel.Information, Message = "{ProbeType} probe errored for container {Container} of pod {Namespace}/{Pod}: {Error}")]
        public static partial void ProbeErrored(ILogger logger, string probeType, string? @namespace, string? pod, string container, string error);
    }
}
