using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Kubelet.Network;

/// <summary>
/// Follows this node's Node object and hands its <c>spec.podCIDR</c> to the <see cref="PodAddressAllocator"/>, as the
/// kubelet's updatePodCIDR does when the node IPAM controller assigns the range. <see cref="WaitForPodCidrAsync"/>
/// lets the host hold the pod workers back until the range is known, so the first pods do not fail and back off.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/kubelet_network.go (updatePodCIDR) fed by the kubelet's node informer.
/// Uses one informer on <c>metadata.name=&lt;node&gt;</c> over <see cref="IApiClient"/>, so it works against a remote
/// server too. <see cref="RunAsync"/> runs once until cancelled; the other members are thread-safe.
/// </remarks>
public sealed partial class NodePodCidrWatcher
{
    private readonly IApiClient _client;
    private readonly PodAddressAllocator _allocator;
    private readonly string _nodeName;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NodePodCidrWatcher(IApiClient client, PodAddressAllocator allocator, string nodeName, TimeProvider time, ILoggerFactory loggerFactory)
    {
        (_client, _allocator, _nodeName, _time, _loggerFactory) = (client, allocator, nodeName, time, loggerFactory);
        _logger = loggerFactory.CreateLogger<NodePodCidrWatcher>();
        if (allocator.PodCidr is not null)
        {
            _assigned.TrySetResult();
        }
    }

    /// <summary>Completes once the allocator has a range (at once for a fixed range).</summary>
    public Task PodCidrAssigned => _assigned.Task;

    /// <summary>Waits for the range at most <paramref name="timeout"/>; false when it did not arrive in time (pods then retry).</summary>
    public async Task<bool> WaitForPodCidrAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _assigned.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            Log.StillWaiting(_logger, _nodeName, timeout);
            return false;
        }
    }

    /// <summary>Watches the Node until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var informer = new SharedInformer(_client, KindRegistry.Nodes,
            new InformerOptions(ListOptions: new ListOptions(FieldSelector: "metadata.name=" + _nodeName)), _time, _loggerFactory);
        informer.AddEventHandler(new ResourceEventHandlerFuncs
        {
            AddFunc = (node, _) => Update(node.GetString("spec", "podCIDR")),
            UpdateFunc = (_, node) => Update(node.GetString("spec", "podCIDR")),
        });
        try
        {
            await informer.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Applies a podCIDR seen on the Node; empty values are ignored, invalid ones logged.</summary>
    public void Update(string? podCidr)
    {
        if (string.IsNullOrEmpty(podCidr))
        {
            return;
        }
        try
        {
            if (_allocator.SetPodCidr(podCidr))
            {
                Log.Updated(_logger, _nodeName, podCidr);
            }
            _assigned.TrySetResult();
        }
        catch (ArgumentException e)
        {
            Log.Unusable(_logger, _nodeName, podCidr, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5705, Level = LogLevel.Information, Message = "Node {Node} pod CIDR is {PodCidr}")]
        public static partial void Updated(ILogger logger, string node, string podCidr);

        [LoggerMessage(EventId = 5706, Level = LogLevel.Error, Message = "Node {Node} pod CIDR {PodCidr} cannot be used: {Reason}")]
        public static partial void Unusable(ILogger logger, string node, string podCidr, string reason);

        [LoggerMessage(EventId = 5707, Level = LogLevel.Warning, Message = "Node {Node} has no pod CIDR after {Timeout}; pods wait until the node IPAM controller assigns one")]
        public static partial void StillWaiting(ILogger logger, string node, TimeSpan timeout);
    }
}
