using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Scheduling;

namespace Berth.Registry.Generic;

public sealed partial class ApiRegistry
{
    /// <summary>
    /// The mutating admission of a pod create, before the registry's defaulting and validation, in upstream's plugin
    /// order: ServiceAccount (only where tokens can be issued, the API server, so a pod never mounts a token nobody
    /// issues), Priority, then LimitRanger (defaults, then min/max checks). Mutates <paramref name="pod"/>; throws 403 <see cref="ApiException"/>s to refuse it.
    /// </summary>
    private async Task AdmitPodCreateAsync(string? ns, JsonObject pod, CancellationToken cancellationToken)
    {
        if (_options.TokenIssuer is not null && ns is { Length: > 0 })
        {
            await Core.ServiceAccounts.ServiceAccountAdmission.AdmitAsync(this, ns, pod, cancellationToken).ConfigureAwait(false);
        }
        await PriorityAdmission.AdmitCreateAsync(pod, await DefaultPriorityClassAsync(cancellationToken).ConfigureAwait(false),
            FindPriorityClassAsync, cancellationToken).ConfigureAwait(false);
        if (ns is { Length: > 0 })
        {
            var limitRanges = await For(KindRegistry.LimitRanges).ListAsync(ns, new ListOptions(), cancellationToken).ConfigureAwait(false);
            Core.LimitRanges.LimitRangerAdmission.Admit(pod, limitRanges.Items);
        }
    }

    /// <summary>
    /// ResourceQuota admission, last: checks the namespace's quotas and stores their charged usage before the object is
    /// created, so concurrent creates cannot both take the last unit (a conflicting quota write re-runs the check).
    /// Events are not counted (upstream ignores them too). A dry run is checked but charges nothing.
    /// </summary>
    private async Task ChargeQuotasAsync(ResourceKind kind, string ns, JsonObject obj, bool dryRun, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var quotas = await For(KindRegistry.ResourceQuotas).ListAsync(ns, new ListOptions(), cancellationToken).ConfigureAwait(false);
            var charged = Core.ResourceQuotas.QuotaAdmission.Check(kind, obj, quotas.Items);
            if (dryRun)
            {
                return;
            }
            try
            {
                foreach (var quota in charged)
                {
                    await For(KindRegistry.ResourceQuotas).UpdateAsync(ns, quota.GetName()!, quota, UpdateTarget.Status, new WriteOptions(), cancellationToken)
                        .ConfigureAwait(false);
                }
                return;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < MaxQuotaAttempts)
            {
                // Another create charged the quota meanwhile: check again against its new usage.
            }
        }
    }

    private const int MaxQuotaAttempts = 10;

    /// <summary>DefaultIngressClass admission: lists the IngressClasses only when the Ingress names none.</summary>
    private async Task AdmitIngressCreateAsync(JsonObject ingress, CancellationToken cancellationToken)
    {
        if (Networking.DefaultIngressClassAdmission.NeedsClass(ingress))
        {
            var classes = await For(KindRegistry.IngressClasses).ListAsync(null, new ListOptions(), cancellationToken).ConfigureAwait(false);
            Networking.DefaultIngressClassAdmission.Admit(ingress, classes.Items);
        }
    }

    /// <summary>The name of the globalDefault PriorityClass, or null; read from the PriorityClass store hooks, not listed per pod.</summary>
    private async Task<string?> DefaultPriorityClassAsync(CancellationToken cancellationToken)
    {
        var registry = For(KindRegistry.PriorityClasses);
        if (registry.Strategy is not PriorityClassStrategy strategy)
        {
            return null;
        }
        await registry.EnsureHooksReadyAsync(cancellationToken).ConfigureAwait(false);
        return strategy.GlobalDefault.Holder;
    }

    private async Task<JsonObject?> FindPriorityClassAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await For(KindRegistry.PriorityClasses).GetAsync(null, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
