using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Streaming.Remote;

/// <summary>
/// <see cref="IPodStreamingBackend"/> for pods on a standalone <c>berth agent</c>: looks up the pod's Node, and
/// forwards pods/log as one HTTPS request and pods/exec as one WebSocket (v5.channel.k8s.io) to the agent's kubelet
/// endpoint, which serves the same routes over its own node's containers. The agent is trusted by certificate
/// pinning (<see cref="KubeletEndpoint.PinAnnotation"/>) and authenticated to with the cluster's bearer token.
/// </summary>
/// <remarks>
/// Mirrors the apiserver's pod log/exec proxying to the kubelet (pkg/registry/core/pod/strategy.go LogLocation,
/// ExecLocation; k8s.io/apimachinery pkg/util/proxy UpgradeAwareHandler). Thread-safe; one HTTP client per
/// endpoint and pin is cached, so a re-registered agent with a new certificate gets a new client.
/// </remarks>
public sealed partial class RemotePodStreamingBackend(IApiClient api, string token, ILogger<RemotePodStreamingBackend> logger)
    : IPodStreamingBackend, IDisposable
{
    private readonly ConcurrentDictionary<KubeletEndpoint, HttpClient> _clients = new();

    public async Task StreamLogsAsync(V1Pod pod, PodLogOptions options, Stream output, CancellationToken cancellationToken)
    {
        var (node, endpoint) = await ResolveAsync(pod, cancellationToken).ConfigureAwait(false);
        var client = _clients.GetOrAdd(endpoint, e => e.CreateClient(token));
        using var request = new HttpRequestMessage(HttpMethod.Get, PodPath(pod, "log") + LogQuery(options));
        using var response = await SendAsync(client, request, node, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw KubeletReply.ToException((int)response.StatusCode, body, node);
        }
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<int> ExecAsync(V1Pod pod, PodExecOptions options, IExecStreams streams, CancellationToken cancellationToken)
    {
        var (node, endpoint) = await ResolveAsync(pod, cancellationToken).ConfigureAwait(false);
        var uri = new Uri(endpoint.BaseAddress, PodPath(pod, "exec") + ExecQuery(options));
        var wsUri = new UriBuilder(uri) { Scheme = "wss" }.Uri;
        using var session = await RemoteExecSession.ConnectAsync(wsUri, endpoint, token, node, cancellationToken).ConfigureAwait(false);
        await streams.AcceptAsync(cancellationToken).ConfigureAwait(false);
        Log.ExecForwarded(logger, pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", node);
        return await session.RunAsync(streams, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forwards pods/attach like exec, as one WebSocket to the agent's attach route; its Success ends it.</summary>
    public async Task AttachAsync(V1Pod pod, PodAttachOptions options, IExecStreams streams, CancellationToken cancellationToken)
    {
        var (node, endpoint) = await ResolveAsync(pod, cancellationToken).ConfigureAwait(false);
        var uri = new Uri(endpoint.BaseAddress, PodPath(pod, "attach") + AttachQuery(options));
        var wsUri = new UriBuilder(uri) { Scheme = "wss" }.Uri;
        using var session = await RemoteExecSession.ConnectAsync(wsUri, endpoint, token, node, cancellationToken).ConfigureAwait(false);
        await streams.AcceptAsync(cancellationToken).ConfigureAwait(false);
        Log.AttachForwarded(logger, pod.Metadata?.NamespaceProperty ?? "", pod.Metadata?.Name ?? "", node);
        await session.RunAsync(streams, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private async Task<(string Node, KubeletEndpoint Endpoint)> ResolveAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var node = pod.Spec?.NodeName ?? throw StreamingErrors.NoHostAssigned(pod.Metadata?.Name ?? "");
        try
        {
            var obj = await api.GetAsync(KindRegistry.Nodes, null, node, cancellationToken).ConfigureAwait(false);
            return (node, KubeletEndpoint.FromNode(obj) ?? throw StreamingErrors.NodeAgentUnavailable(node));
        }
        catch (ApiException e) when (e.Code == 404)
        {
            throw StreamingErrors.NodeAgentUnavailable(node);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string node, CancellationToken cancellationToken)
    {
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ApiException(503, StatusReason.ServiceUnavailable, $"error dialing the node agent of node \"{node}\": {e.Message}");
        }
    }


    private static string PodPath(V1Pod pod, string subresource) =>
        $"api/v1/namespaces/{Uri.EscapeDataString(pod.Metadata?.NamespaceProperty ?? "")}/pods/{Uri.EscapeDataString(pod.Metadata?.Name ?? "")}/{subresource}";

    /// <summary>The PodLogOptions as the agent's pods/log handler reads them (sinceTime in RFC 3339 with fractions).</summary>
    internal static string LogQuery(PodLogOptions options)
    {
        var query = new StringBuilder("?container=").Append(Uri.EscapeDataString(options.Container));
        Append(query, "follow", options.Follow ? "true" : null);
        Append(query, "previous", options.Previous ? "true" : null);
        Append(query, "timestamps", options.Timestamps ? "true" : null);
        Append(query, "sinceTime", options.SinceTime?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        Append(query, "tailLines", options.TailLines?.ToString(CultureInfo.InvariantCulture));
        Append(query, "limitBytes", options.LimitBytes?.ToString(CultureInfo.InvariantCulture));
        return query.ToString();
    }

    internal static string ExecQuery(PodExecOptions options)
    {
        var query = new StringBuilder("?container=").Append(Uri.EscapeDataString(options.Container));
        foreach (var arg in options.Command)
        {
            Append(query, "command", arg);
        }
        Append(query, "stdin", options.Stdin ? "true" : null);
        Append(query, "stdout", options.Stdout ? "true" : null);
        Append(query, "stderr", options.Stderr ? "true" : null);
        Append(query, "tty", options.Tty ? "true" : null);
        return query.ToString();
    }

    /// <summary>The agent re-derives the tty from the spec, so a tty session asks for it (and never for stderr).</summary>
    internal static string AttachQuery(PodAttachOptions options)
    {
        var query = new StringBuilder("?container=").Append(Uri.EscapeDataString(options.Container));
        Append(query, "stdin", options.Stdin ? "true" : null);
        Append(query, "stdout", options.Stdout ? "true" : null);
        Append(query, "stderr", options.Stderr ? "true" : null);
        Append(query, "tty", options.Tty ? "true" : null);
        return query.ToString();
    }

    private static void Append(StringBuilder query, string name, string? value)
    {
        if (value is not null)
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2410, Level = LogLevel.Debug, Message = "Forwarding exec into {Namespace}/{Pod} to the node agent of {Node}")]
        public static partial void ExecForwarded(ILogger logger, string @namespace, string pod, string node);

        [LoggerMessage(EventId = 2411, Level = LogLevel.Debug, Message = "Forwarding attach to {Namespace}/{Pod} to the node agent of {Node}")]
        public static partial void AttachForwarded(ILogger logger, string @namespace, string pod, string node);
    }
}
