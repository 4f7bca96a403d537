using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;

namespace Berth.Registry.Core.Pods.Eviction;

/// <summary>
/// POST <c>pods/{name}/eviction</c>: a graceful delete that asks the pod's PodDisruptionBudget first. Pods that are
/// pending, finished or already terminating are deleted at once. Otherwise a ready pod spends one of the budget's
/// <c>disruptionsAllowed</c> (an optimistic update of the budget's status that also records the pod in
/// <c>disruptedPods</c>), and the answer is 429 TooManyRequests while none is left; an unready pod may go without
/// spending one when the budget allows it. The delete then adds DisruptionTarget=True (EvictionByEvictionAPI) to the
/// pod and deletes it with the Eviction's <c>deleteOptions</c>. Replies a Success Status (201).
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/registry/core/pod/storage/eviction.go (EvictionREST.Create). Deviation: a pod
/// matched by several budgets gets 403 Forbidden with upstream's message, where upstream answers 500. Stateless
/// apart from its collaborators; thread-safe. Conflicts are retried a few times, immediately.
/// </remarks>
internal sealed partial class EvictionRest(IApiClient api, TimeProvider time)
{
    /// <summary>Attempts of each optimistic read-modify-write before the conflict is returned to the client.</summary>
    internal const int Attempts = 5;

    public async Task<WriteResult> CreateAsync(string? ns, string name, JsonObject eviction, WriteOptions options, CancellationToken cancellationToken)
    {
        if ((eviction.GetName() ?? "") != name)
        {
            throw ApiErrors.BadRequest("name in URL does not match name in Eviction object");
        }
        var deleteOptions = DeleteOptionsJson.Parse(eviction.GetObject("deleteOptions"));
        deleteOptions = deleteOptions with { DryRun = deleteOptions.DryRun || options.DryRun };
        var (pod, deleted) = await DeleteIfBudgetCanBeIgnoredAsync(ns, name, deleteOptions, cancellationToken).ConfigureAwait(false);
        if (!deleted)
        {
            await EvictGuardedAsync(ns, name, pod, deleteOptions, cancellationToken).ConfigureAwait(false);
        }
        return new WriteResult(StatusObjects.Success(201), true, []);
    }

    /// <summary>
    /// The first half of upstream Create: deletes a pending, finished or terminating pod without consulting budgets,
    /// re-reading the pod after a conflict unless the client pinned a resourceVersion. Returns the pod as read and
    /// whether it was deleted.
    /// </summary>
    private async Task<(JsonObject Pod, bool Deleted)> DeleteIfBudgetCanBeIgnoredAsync(string? ns, string name, DeleteOptions options,
        CancellationToken cancellationToken)
    {
        var clientPinned = options.PreconditionResourceVersion is not null;
        for (var attempt = 1; ; attempt++)
        {
            var pod = await api.GetAsync(KindRegistry.Pods, ns, name, cancellationToken).ConfigureAwait(false);
            if (!EvictionRules.CanIgnorePdb(pod))
            {
                return (pod, false);
            }
            var pinned = EvictionRules.ShouldEnforceResourceVersion(pod) && !clientPinned
                ? options with { PreconditionResourceVersion = pod.GetResourceVersion() }
                : options;
            try
            {
                await AddConditionAndDeletePodAsync(ns, name, pinned, cancellationToken).ConfigureAwait(false);
                return (pod, true);
            }
            catch (ApiException e) when (e.Code == 409 && !clientPinned && attempt < Attempts)
            {
                // The pod changed between the read and the delete: decide again on the new state.
            }
        }
    }

    /// <summary>
    /// The second half: consults the pod's budget (none: plain delete; several: refused), spends a disruption or
    /// lets an unready pod go, then deletes. A delete pinned by us that loses a race answers 429 so the client retries.
    /// </summary>
    private async Task EvictGuardedAsync(string? ns, string name, JsonObject pod, DeleteOptions options, CancellationToken cancellationToken)
    {
        var budgets = EvictionRules.MatchingBudgets(
            (await api.ListAsync(KindRegistry.PodDisruptionBudgets, ns, cancellationToken: cancellationToken).ConfigureAwait(false)).Items, pod);
        if (budgets.Count > 1)
        {
            throw ApiErrors.Forbidden(EvictionRules.MultipleBudgetsMessage);
        }
        var pinnedByUs = false;
        if (budgets.Count == 1)
        {
            if (!EvictionRules.IsPodReady(pod) && EvictionRules.CanEvictUnhealthyWithoutDecrement(budgets[0]))
            {
                pinnedByUs = true;
            }
            else
            {
                await CheckAndDecrementAsync(budgets[0], name, options.DryRun, cancellationToken).ConfigureAwait(false);
            }
        }
        var deleteOptions = pinnedByUs ? options with { PreconditionResourceVersion = pod.GetResourceVersion() } : options;
        try
        {
            await AddConditionAndDeletePodAsync(ns, name, deleteOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 409 && pinnedByUs && options.PreconditionResourceVersion is null)
        {
            throw EvictionRules.BudgetBeingProcessed(budgets[0].GetName() ?? "");
        }
    }

    /// <summary>
    /// Spends one disruption of <paramref name="pdb"/> with an optimistic status update; on a conflict re-reads the
    /// budget and decides again (upstream RetryOnConflict around checkAndDecrement). A dry run checks without writing.
    /// </summary>
    private async Task CheckAndDecrementAsync(JsonObject pdb, string podName, bool dryRun, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            EvictionRules.CheckAndDecrement(pdb, podName, time.GetUtcNow(), dryRun);
            if (dryRun)
            {
                return;
            }
            try
            {
                await api.UpdateAsync(KindRegistry.PodDisruptionBudgets, pdb.GetNamespace(), pdb, "status", cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
                return;
            }
            catch (ApiException e) when (e.Code == 409 && attempt < Attempts)
            {
                pdb = await api.GetAsync(KindRegistry.PodDisruptionBudgets, pdb.GetNamespace(), pdb.GetName()!, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
