using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Node;

/// <summary>
/// The node heartbeat: keeps the Lease <c>kube-node-lease/&lt;node&gt;</c> renewed every
/// <see cref="NodeRegistrationOptions.LeaseRenewInterval"/> (10 s) with <c>holderIdentity</c> = node name,
/// <c>leaseDurationSeconds</c> = 40 and <c>renewTime</c> = now (MicroTime, six fractional digits). The Lease is
/// created when missing and owned by the Node (ownerReference added once the Node exists), so deleting the Node
/// garbage-collects it. A failed renewal is retried after 200 ms, doubling up to 7 s, instead of waiting a whole
/// interval; a conflict re-reads the Lease first.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes staging/src/k8s.io/component-helpers/apimachinery/lease/controller.go (sync,
/// backoffEnsureLease, retryUpdateLease, newLease) and pkg/kubelet/util/nodelease.go (SetNodeOwnerFunc). Not
/// thread-safe: run one <see cref="RunAsync"/> per node.
/// </remarks>
public sealed partial class NodeLeaseHeartbeat(IApiClient client, NodeRegistrationOptions options, TimeProvider timeProvider,
    ILogger<NodeLeaseHeartbeat> logger)
{
    /// <summary>The namespace of node leases (<c>v1.NamespaceNodeLease</c>).</summary>
    public const string LeaseNamespace = "kube-node-lease";

    private const int MaxUpdateRetries = 5;
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(7);

    private JsonObject? _latestLease;

    /// <summary>Renews until <paramref name="cancellationToken"/> fires; the first renewal happens immediately.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = InitialBackoff;
        try
        {
            while (true)
            {
                var renewed = await SyncAsync(cancellationToken).ConfigureAwait(false);
                var delay = renewed ? options.LeaseRenewInterval : backoff;
                backoff = renewed ? InitialBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the lease simply expires, and the node lifecycle controller notices.
        }
    }

    /// <summary>One renewal (creating the Lease if needed). Returns false after logging a failure.</summary>
    public async Task<bool> SyncAsync(CancellationToken cancellationToken)
    {
        try
        {
            for (var attempt = 1; attempt <= MaxUpdateRetries; attempt++)
            {
                var current = _latestLease ?? await EnsureLeaseAsync(cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return true;
                }
                try
                {
                    var renewed = await NewLeaseAsync(current, cancellationToken).ConfigureAwait(false);
                    _latestLease = await client.UpdateAsync(KindRegistry.Leases, LeaseNamespace, renewed, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return true;
                }
                catch (ApiException e) when (e.Code is 404 or 409)
                {
                    _latestLease = null;
                }
            }
            Log.RenewFailed(logger, options.NodeName, null);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _latestLease = null;
            Log.RenewFailed(logger, options.NodeName, e);
            return false;
        }
    }

    /// <summary>The stored Lease, or null after creating a fresh (already renewed) one.</summary>
    private async Task<JsonObject?> EnsureLeaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAsync(KindRegistry.Leases, LeaseNamespace, options.NodeName, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            var lease = new JsonObject
            {
                ["apiVersion"] = KindRegistry.Leases.ApiVersion,
                ["kind"] = KindRegistry.Leases.Kind,
                ["metadata"] = new JsonObject { ["name"] = options.NodeName, ["namespace"] = LeaseNamespace },
            };
            lease = await NewLeaseAsync(lease, cancellationToken).ConfigureAwait(false);
            _latestLease = await client.CreateAsync(KindRegistry.Leases, LeaseNamespace, lease, cancellationToken: cancellationToken).ConfigureAwait(false);
            Log.Created(logger, options.NodeName);
            return null;
        }
    }

    /// <summary>A copy of <paramref name="lease"/> renewed now, owned by the Node when it exists.</summary>
    private async Task<JsonObject> NewLeaseAsync(JsonObject lease, CancellationToken cancellationToken)
    {
        var renewed = ApiJson.Clone(lease);
        renewed.SetPath(options.NodeName, "spec", "holderIdentity");
        renewed.SetPath(options.NodeLeaseDurationSeconds, "spec", "leaseDurationSeconds");
        renewed.SetPath(NodeFormats.MicroTime(timeProvider.GetUtcNow()), "spec", "renewTime");
        if (renewed.GetArray("metadata", "ownerReferences") is not { Count: > 0 } && await NodeUidAsync(cancellationToken).ConfigureAwait(false) is { } uid)
        {
            renewed.SetPath(new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = options.NodeName, ["uid"] = uid,
            }), "metadata", "ownerReferences");
        }
        return renewed;
    }

    private async Task<string?> NodeUidAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetAsync(KindRegistry.Nodes, null, options.NodeName, cancellationToken).ConfigureAwait(false)).GetUid();
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5740, Level = LogLevel.Information, Message = "Created the lease of node {Node}")]
        public static partial void Created(ILogger logger, string node);

        [LoggerMessage(EventId = 5741, Level = LogLevel.Warning, Message = "Failed to renew the lease of node {Node}; retrying with backoff")]
        public static partial void RenewFailed(ILogger logger, string node, Exception? exception);
    }
}
