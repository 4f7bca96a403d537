using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Registry.Rbac;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Rbac;

/// <summary>
/// Feeds the API server's authorizer: every change to a Role, ClusterRole, RoleBinding or ClusterRoleBinding enqueues
/// the one policy key, and a sync rebuilds the whole <see cref="RbacPolicySnapshot"/> from the four listers and
/// publishes it to the <see cref="RbacPolicyHolder"/>. Bursts of changes coalesce into one rebuild (the queue holds a
/// key once); the first sync runs once all four caches are synced, which releases requests waiting for the policy.
/// </summary>
/// <remarks>
/// Upstream's RBAC authorizer reads the same four listers on every request (plugin/pkg/auth/authorizer/rbac); Berth
/// pays for the indexing once per change instead, so a request only looks its subjects up.
/// </remarks>
public sealed partial class RbacPolicyController : ControllerBase
{
    private static readonly ObjectKey PolicyKey = new("", "rbac-policy");

    private readonly RbacPolicyHolder _holder;
    private readonly TimeProvider _time;
    private readonly SharedInformer[] _informers;

    public RbacPolicyController(SharedInformerFactory informers, RbacPolicyHolder holder, TimeProvider timeProvider,
        ILogger<RbacPolicyController> logger)
        : this([informers.InformerFor(KindRegistry.ClusterRoles), informers.InformerFor(KindRegistry.Roles),
            informers.InformerFor(KindRegistry.ClusterRoleBindings), informers.InformerFor(KindRegistry.RoleBindings)],
            holder, timeProvider, logger)
    {
    }

    private RbacPolicyController(SharedInformer[] informers, RbacPolicyHolder holder, TimeProvider timeProvider,
        ILogger<RbacPolicyController> logger)
        : base("rbac-policy", informers, timeProvider, logger)
    {
        _holder = holder;
        _time = timeProvider;
        _informers = informers;
        foreach (var informer in informers)
        {
            informer.AddEventHandler(new ResourceEventHandlerFuncs
            {
                AddFunc = (_, _) => Enqueue(PolicyKey),
                UpdateFunc = (_, _) => Enqueue(PolicyKey),
                DeleteFunc = (_, _) => Enqueue(PolicyKey),
            });
        }
        // The first build must happen even if every list is empty.
        Enqueue(PolicyKey);
    }

    protected override Task SyncAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var snapshot = RbacPolicyBuilder.Build(_informers[0].Lister.List(), _informers[1].Lister.List(),
            _informers[2].Lister.List(), _informers[3].Lister.List());
        _holder.Publish(snapshot);
        Log.Published(Logger, _time.GetElapsedTime(started).TotalMilliseconds);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4760, Level = LogLevel.Debug, Message = "Published the RBAC policy snapshot (built in {Milliseconds} ms)")]
        public static partial void Published(ILogger logger, double milliseconds);
    }
}
