using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Rbac;

/// <summary>
/// Writes the default ClusterRoles and ClusterRoleBindings (<see cref="BootstrapRoles"/>, <see cref="BootstrapBindings"/>)
/// once at start-up, before the server reports ready. Idempotent: a missing object is created; an existing one still
/// annotated <c>autoupdate=true</c> gets back what it lacks (labels, the annotation, missing rules or aggregation
/// selectors, missing subjects) and keeps what was added to it; one without the annotation is left alone.
/// </summary>
/// <remarks>
/// Mirrors the <c>rbac/bootstrap-roles</c> post-start hook of kubernetes/kubernetes pkg/registry/rbac/rest/storage_rbac.go
/// and the additive reconciliation of pkg/registry/rbac/reconciliation (removeExtraPermissions and removeExtraSubjects
/// false). The rules of aggregated roles are the aggregation controller's, so they are not reconciled here.
/// </remarks>
public sealed partial class RbacBootstrap(IApiClient api, ILogger<RbacBootstrap> logger)
{
    /// <summary>
    /// Creates or reconciles every default object; completes when all are in place. The objects are independent (the
    /// aggregation controller fills aggregated roles whenever their sources appear), so they are written concurrently
    /// and the store's group commit makes a fresh start's ~20 creates a few fsyncs, not one each.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var roles = BootstrapRoles.All.Select(role =>
            EnsureAsync(KindRegistry.ClusterRoles, BootstrapObjects.ClusterRole(role), cancellationToken));
        var bindings = BootstrapBindings.All.Select(binding =>
            EnsureAsync(KindRegistry.ClusterRoleBindings, BootstrapObjects.ClusterRoleBinding(binding.Name, binding.Role, binding.Groups), cancellationToken));
        await Task.WhenAll(roles.Concat(bindings)).ConfigureAwait(false);
    }

    private async Task EnsureAsync(ResourceKind kind, JsonObject expected, CancellationToken cancellationToken)
    {
        var name = expected.GetName()!;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var existing = await api.GetOrNullAsync(kind, null, name, cancellationToken).ConfigureAwait(false);
                if (existing is null)
                {
                    await api.CreateAsync(kind, null, (JsonObject)expected.DeepClone(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    Log.Created(logger, kind.Kind, name);
                    return;
                }
                if (BootstrapReconciler.Reconcile(existing, expected))
                {
                    await api.UpdateAsync(kind, null, existing, cancellationToken: cancellationToken).ConfigureAwait(false);
                    Log.Reconciled(logger, kind.Kind, name);
                }
                return;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < 5)
            {
                // Created or changed meanwhile: read it again.
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4750, Level = LogLevel.Information, Message = "Created default {Kind} {Name}")]
        public static partial void Created(ILogger logger, string kind, string name);

        [LoggerMessage(EventId = 4751, Level = LogLevel.Information, Message = "Reconciled default {Kind} {Name}")]
        public static partial void Reconciled(ILogger logger, string kind, string name);
    }
}
