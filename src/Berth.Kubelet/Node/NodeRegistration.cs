using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Node;

/// <summary>
/// Registers this agent's Node: creates it, or, when it exists already (agent restart), keeps it — its taints,
/// <c>spec.unschedulable</c> (a cordon) and labels set by users survive — and only puts the default labels back if
/// they drifted. Either way the initial node's condition events are recorded (on a restart, the pressure ones only). Retries with exponential backoff (100 ms doubling to 7 s) until it succeeds or is cancelled.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_node_status.go (registerWithAPIServer, tryRegisterWithAPIServer,
/// updateDefaultLabels). Not thread-safe; called once, by <see cref="NodeStatusUpdater.RunAsync"/>.
/// </remarks>
public sealed partial class NodeRegistration(
    IApiClient client, NodeStatusBuilder builder, NodeRegistrationOptions options, TimeProvider timeProvider, ILogger<NodeRegistration> logger,
    IEventRecorder? recorder = null)
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(7);

    /// <summary>Registers, retrying failures. Returns the Node as stored.</summary>
    public async Task<JsonObject> RegisterWithApiServerAsync(CancellationToken cancellationToken)
    {
        var backoff = InitialBackoff;
        while (true)
        {
            try
            {
                return await TryRegisterWithApiServerAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.RegistrationFailed(logger, options.NodeName, backoff, e);
            }
            await Task.Delay(backoff, timeProvider, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One attempt: create, or reconcile the default labels of the existing Node.</summary>
    public async Task<JsonObject> TryRegisterWithApiServerAsync(CancellationToken cancellationToken)
    {
        var events = new List<string>();
        var node = builder.InitialNode(timeProvider.GetUtcNow(), events);
        try
        {
            var created = await client.CreateAsync(KindRegistry.Nodes, null, node, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Registered(logger, options.NodeName);
            new NodeEventReporter(recorder, options.NodeName).StatusChanged(events);
            return created;
        }
        catch (ApiException e) when (e.Code == 409 && e.Reason == StatusReason.AlreadyExists)
        {
            // Upstream's setters record the pressure events on every registration attempt (the initial node has no
            // conditions); its Ready setter records nothing for a condition it adds, so Ready events come only from
            // the status updates that follow, against the stored node's Ready.
            new NodeEventReporter(recorder, options.NodeName).StatusChanged(events.Where(e => e is not ("NodeReady" or "NodeNotReady")));
            var existing = await client.GetAsync(KindRegistry.Nodes, null, options.NodeName, cancellationToken).ConfigureAwait(false);
            if (!UpdateDefaultLabels(existing))
            {
                Log.AlreadyRegistered(logger, options.NodeName);
                return existing;
            }
            var updated = await client.UpdateAsync(KindRegistry.Nodes, null, existing, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.LabelsReconciled(logger, options.NodeName);
            return updated;
        }
    }

    /// <summary>Sets the kubelet-owned labels and annotations on <paramref name="existing"/>; true when anything changed.</summary>
    private bool UpdateDefaultLabels(JsonObject existing)
    {
        var changed = false;
        foreach (var (key, value) in builder.DefaultLabels())
        {
            if (existing.GetString("metadata", "labels", key) != value)
            {
                existing.SetPath(value, "metadata", "labels", key);
                changed = true;
            }
        }
        foreach (var (key, value) in builder.OwnedAnnotations())
        {
            if (existing.GetString("metadata", "annotations", key) != value)
            {
                existing.SetPath(value, "metadata", "annotations", key);
                changed = true;
            }
        }
        return changed;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5730, Level = LogLevel.Information, Message = "Successfully registered node {Node}")]
        public static partial void Registered(ILogger logger, string node);

        [LoggerMessage(EventId = 5731, Level = LogLevel.Information, Message = "Node {Node} was previously registered")]
        public static partial void AlreadyRegistered(ILogger logger, string node);

        [LoggerMessage(EventId = 5732, Level = LogLevel.Information, Message = "Node {Node} was previously registered; default labels reconciled")]
        public static partial void LabelsReconciled(ILogger logger, string node);

        [LoggerMessage(EventId = 5733, Level = LogLevel.Warning, Message = "Unable to register node {Node} with the API server; retrying in {Backoff}")]
        public static partial void RegistrationFailed(ILogger logger, string node, TimeSpan backoff, Exception exception);
    }
}
