using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Node;

/// <summary>
/// Keeps this node's status current: registers the Node first, then every
/// <see cref="NodeRegistrationOptions.NodeStatusUpdateFrequency"/> recomputes the status and writes it through
/// <c>nodes/status</c> only when it changed (heartbeat times aside) or when
/// <see cref="NodeRegistrationOptions.NodeStatusReportFrequency"/> passed since the last write. Liveness is carried by
/// the Lease (<see cref="NodeLeaseHeartbeat"/>), not by status writes. A write that conflicts is retried on a fresh
/// read up to five times (upstream's nodeStatusUpdateRetry); other failures wait for the next period.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_node_status.go (syncNodeStatus, updateNodeStatus,
/// tryUpdateNodeStatus). Thread-safe: <see cref="UpdateNodeStatusAsync"/> calls are serialised. A graceful stop does
/// not change the status by itself (as upstream); the node shutdown path calls <see cref="MarkShuttingDownAsync"/>
/// to post Ready=False ("node is shutting down").
/// </remarks>
public sealed partial class NodeStatusUpdater
{
    private const int NodeStatusUpdateRetry = 5;

    private readonly IApiClient _client;
    private readonly NodeRegistrationOptions _options;
    private readonly NodeStatusBuilder _builder;
    private readonly NodeRegistration _registration;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<NodeStatusUpdater> _logger;
    private readonly NodeEventReporter _events;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset? _lastReport;
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _shuttingDown;

    public NodeStatusUpdater(IApiClient client, NodeRegistrationOptions options, MachineInfo machine, TimeProvider timeProvider,
        ILoggerFactory loggerFactory, IEventRecorder? recorder = null)
    {
        _client = client;
        _options = options;
        _builder = new NodeStatusBuilder(options, machine);
        _timeProvider = timeProvider;
        _logger = loggerFactory.CreateLogger<NodeStatusUpdater>();
        _events = new NodeEventReporter(recorder, options.NodeName);
        _registration = new NodeRegistration(client, _builder, options, timeProvider, loggerFactory.CreateLogger<NodeRegistration>(), recorder);
    }

    /// <summary>Completes once the Node has been registered (or found registered).</summary>
    public Task Registered => _registered.Task;

    /// <summary>Registers the node, then updates its status every period until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _events.Starting();
        try
        {
            await _registration.RegisterWithApiServerAsync(cancellationToken).ConfigureAwait(false);
            _lastReport = _timeProvider.GetUtcNow();
            _registered.TrySetResult();
            // A node found registered keeps the status its last process left (Ready=False "node is shutting down"
            // after a graceful stop): bring it up to date now, not a period later, as the kubelet's first sync does.
            await SyncNodeStatusAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await Task.Delay(_options.NodeStatusUpdateFrequency, _timeProvider, cancellationToken).ConfigureAwait(false);
                await SyncNodeStatusAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>
    /// Posts Ready=False with reason KubeletNotReady and message <c>node is shutting down</c> now and on every later
    /// update (graceful node shutdown). Failures are logged, not thrown.
    /// </summary>
    public async Task MarkShuttingDownAsync(CancellationToken cancellationToken)
    {
        _shuttingDown = true;
        await SyncNodeStatusAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One status update with retries. Returns true when the status was written.</summary>
    public async Task<bool> UpdateNodeStatusAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await TryUpdateNodeStatusAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (ApiException e) when (e.Reason == StatusReason.Conflict && attempt < NodeStatusUpdateRetry)
                {
                    Log.UpdateConflict(_logger, _options.NodeName, attempt);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SyncNodeStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UpdateNodeStatusAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.UpdateFailed(_logger, _options.NodeName, e);
        }
    }

    private async Task<bool> TryUpdateNodeStatusAsync(CancellationToken cancellationToken)
    {
        var node = await _client.GetAsync(KindRegistry.Nodes, null, _options.NodeName, cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var events = new List<string>();
        var oldStatus = node.GetObject("status");
        var newStatus = _builder.Status(oldStatus?.GetArray("conditions"), now, _shuttingDown ? NodeConditionSetter.ShuttingDownMessage : null, events);
        var reportDue = _lastReport is not { } last || now - last >= _options.NodeStatusReportFrequency;
        if (!NodeStatusBuilder.StatusChanged(oldStatus, newStatus) && !reportDue)
        {
            return false;
        }
        node["status"] = newStatus;
        await _client.UpdateAsync(KindRegistry.Nodes, null, node, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
        _lastReport = now;
        _events.StatusChanged(events);
        Log.StatusWritten(_logger, _options.NodeName);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5735, Level = LogLevel.Debug, Message = "Updated the status of node {Node}")]
        public static partial void StatusWritten(ILogger logger, string node);

        [LoggerMessage(EventId = 5736, Level = LogLevel.Debug, Message = "Conflict updating the status of node {Node} (attempt {Attempt}); retrying")]
        public static partial void UpdateConflict(ILogger logger, string node, int attempt);

        [LoggerMessage(EventId = 5737, Level = LogLevel.Warning, Message = "Unable to update the status of node {Node}; will retry next period")]
        public static partial void UpdateFailed(ILogger logger, string node, Exception exception);
    }
}
