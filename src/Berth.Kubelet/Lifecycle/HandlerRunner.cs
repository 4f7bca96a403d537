using Berth.Client.Events;
using Berth.Kubelet.Container;
using Berth.Kubelet.Events;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Util;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Lifecycle;

/// <summary>
/// Executes lifecycle handlers: <c>exec</c> inside the container through the runtime (no timeout: bounded only by
/// the caller's grace race), <c>httpGet</c> from the agent to the pod (any HTTP response is success, only a transport
/// error fails; HTTPS answered by plain HTTP is retried over HTTP with a <c>LifecycleHTTPFallback</c> event),
/// <c>sleep</c> on the injected <see cref="TimeProvider"/>, and <c>tcpSocket</c>, which is accepted by the API but
/// always fails ("invalid handler"). Mirrors kubernetes/kubernetes pkg/kubelet/lifecycle/handlers.go (handlerRunner.Run).
/// </summary>
/// <remarks>
/// Thread-safe. Hook output is never logged or put into events ("so that secrets won't leak"); as upstream, a failed
/// exec hook's output is part of the returned message, which a failed postStart puts in the container's status.
/// </remarks>
public sealed partial class HandlerRunner(
    IContainerRuntime runtime, HttpClient httpClient, IEventRecorder recorder, TimeProvider time, ILogger<HandlerRunner> logger)
    : IHandlerRunner
{
    public async Task<string?> RunAsync(ContainerId containerId, V1Pod pod, V1Container container,
        V1LifecycleHandler handler, string? podIP, CancellationToken cancellationToken)
    {
        if (handler.Exec is { } exec)
        {
            return await RunExecAsync(containerId, pod, container, exec, cancellationToken).ConfigureAwait(false);
        }

        if (handler.HttpGet is { } httpGet)
        {
            return await RunHttpAsync(pod, container, httpGet, podIP, cancellationToken).ConfigureAwait(false);
        }

        if (handler.Sleep is { } sleep)
        {
            return await RunSleepAsync(sleep.Seconds, cancellationToken).ConfigureAwait(false);
        }

        return "invalid handler";
    }

    private async Task<string?> RunExecAsync(ContainerId id, V1Pod pod, V1Container container, V1ExecAction exec,
        CancellationToken cancellationToken)
    {
        var command = exec.Command ?? [];
        var prefix = $"Exec lifecycle hook ([{string.Join(" ", command)}]) for Container \"{container.Name}\" in Pod \"{PodFormat.Pod(pod)}\" failed - error: ";
        if (command.Count == 0)
        {
            return prefix + "empty command";
        }

        try
        {
            var result = await runtime.ExecSyncAsync(id, [.. command], Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0 ? null : prefix + ExitFailure(command, result);
        }
        catch (OperationCanceledException)
        {
            return prefix + "container terminated before the hook finished";
        }
        catch (Exception ex) when (ex is Machinery.Errors.ApiException or IOException or InvalidOperationException)
        {
            return prefix + ex.Message;
        }
    }

    /// <summary>
    /// The CRI's error for a non-zero exit (<c>command 'argv' exited with N: stderr</c>) and the hook's output, stdout
    /// then stderr, Go-quoted: upstream's message, which reaches the container's waiting message (PostStartHookError).
    /// </summary>
    private static string ExitFailure(IList<string> command, ExecSyncResult result) =>
        $"command '{string.Join(' ', command)}' exited with {result.ExitCode}: {result.Stderr}, message: {Berth.Machinery.Errors.GoQuote.Quote(result.Stdout + result.Stderr)}";

    private async Task<string?> RunSleepAsync(long seconds, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, seconds)), time, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return "container terminated before sleep hook finished";
        }
    }

    private async Task<string?> RunHttpAsync(V1Pod pod, V1Container container, V1HTTPGetAction action, string? podIP,
        CancellationToken cancellationToken)
    {
        var path = action.Path ?? "";
        var failure = $"HTTP lifecycle hook ({path}) for Container \"{container.Name}\" in Pod \"{PodFormat.Pod(pod)}\" failed - error: ";
        if (!HttpTargets.TryBuild(action, container, podIP, out var uri, out var error))
        {
            return failure + error;
        }

        var transportError = await TryGetAsync(uri, action, cancellationToken).ConfigureAwait(false);
        if (transportError is null)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttps && HttpTargets.LooksLikePlainHttpAnswer(transportError))
        {
            var plain = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp }.Uri;
            if (await TryGetAsync(plain, action, cancellationToken).ConfigureAwait(false) is null)
            {
                recorder.PodEvent(pod, EventTypes.Warning, EventReasons.LifecycleHttpFallback,
                    $"request to HTTPS lifecycle hook {uri.Host} got HTTP response, retry with HTTP succeeded");
                return null;
            }
        }

        Log.HttpHookFailed(logger, pod.Metadata?.NamespaceProperty, pod.Metadata?.Name, container.Name, uri.Scheme, transportError.GetType().Name);
        return failure + HttpTargets.DescribeError(uri, transportError);
    }

    // Null on any HTTP response (status codes are not checked for hooks), else the transport exception.
    private async Task<Exception?> TryGetAsync(Uri uri, V1HTTPGetAction action, CancellationToken cancellationToken)
    {
        using var request = HttpTargets.NewRequest(uri, action.HttpHeaders, "kube-lifecycle/1.34");
        try
        {
            using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (HttpRequestException ex)
        {
            return ex;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "HTTP lifecycle hook of container {Container} in pod {Namespace}/{Pod} failed over {Scheme}: {Error}")]
        public static partial void HttpHookFailed(ILogger logger, string? @namespace, string? pod, string container, string scheme, string error);
    }
}
