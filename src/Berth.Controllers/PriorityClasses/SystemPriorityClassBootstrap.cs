using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Registry.Scheduling;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.PriorityClasses;

/// <summary>
/// Creates the built-in PriorityClasses <c>system-node-critical</c> and <c>system-cluster-critical</c> when they are
/// missing; an existing class of that name is left as it is. Run once at start-up, before pods are admitted by
/// controllers. Idempotent. Mirrors the <c>scheduling/bootstrap-system-priority-classes</c> post-start hook of
/// kubernetes/kubernetes pkg/registry/scheduling/rest/storage_scheduling.go (AddSystemPriorityClasses).
/// </summary>
public sealed partial class SystemPriorityClassBootstrap(IApiClient api, ILogger<SystemPriorityClassBootstrap> logger)
{
    /// <summary>Creates each missing built-in class; completes when all exist.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var pc in SystemPriorityClasses.Objects())
        {
            try
            {
                await api.CreateAsync(KindRegistry.PriorityClasses, null, pc, cancellationToken: cancellationToken).ConfigureAwait(false);
                Log.Created(logger, pc["metadata"]!["name"]!.GetValue<string>());
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Already there.
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4018, Level = LogLevel.Information, Message = "Created system priority class {Name}")]
        public static partial void Created(ILogger logger, string name);
    }
}
