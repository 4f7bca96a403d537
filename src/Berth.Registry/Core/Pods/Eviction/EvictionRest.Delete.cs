using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;

namespace Berth.Registry.Core.Pods.Eviction;

internal sealed partial class EvictionRest
{
    /// <summary>
    /// Adds DisruptionTarget=True (reason EvictionByEvictionAPI) to the newest pod status, then deletes the pod with
    /// <paramref name="options"/> (upstream addConditionAndDeletePod). The status write honours the options' UID and
    /// resourceVersion preconditions (409 otherwise) and is retried on a concurrent status write; a pinned
    /// resourceVersion then moves to the version the condition write produced. A dry run only deletes (dry).
    /// </summary>
    private async Task AddConditionAndDeletePodAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        if (!options.DryRun)
        {
            var updated = await AddDisruptionTargetAsync(ns, name, options, cancellationToken).ConfigureAwait(false);
            if (options.PreconditionResourceVersion is not null)
            {
                options = options with { PreconditionResourceVersion = updated.GetResourceVersion() };
            }
        }
        await api.DeleteAsync(KindRegistry.Pods, ns, name, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> AddDisruptionTargetAsync(string? ns, string name, DeleteOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pod = await api.GetAsync(KindRegistry.Pods, ns, name, cancellationToken).ConfigureAwait(false);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != pod.GetUid())
            {
                throw ApiErrors.Conflict(KindRegistry.Pods, name,
                    $"the UID in the precondition ({uid}) does not match the UID in record ({pod.GetUid()}). The object might have been deleted and then recreated");
            }
            if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != pod.GetResourceVersion())
            {
                throw ApiErrors.Conflict(KindRegistry.Pods, name,
                    $"the ResourceVersion in the precondition ({rv}) does not match the ResourceVersion in record ({pod.GetResourceVersion()}). The object might have been modified");
            }
            if (!UpdatePodCondition(pod, time.GetUtcNow()))
            {
                return pod;
            }
            try
            {
                return await api.UpdateAsync(KindRegistry.Pods, ns, pod, "status", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ApiException e) when (e.Code == 409 && attempt < Attempts)
            {
                // The kubelet (or another writer) updated the status meanwhile: add the condition to the newer one.
            }
        }
    }

    /// <summary>Sets DisruptionTarget=True on a private copy; false when it was there already (podutil.UpdatePodCondition).</summary>
    private static bool UpdatePodCondition(JsonObject pod, DateTimeOffset now)
    {
        if (pod.GetArray("status", "conditions") is not { } conditions)
        {
            conditions = [];
            pod.SetPath(conditions, "status", "conditions");
        }
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "DisruptionTarget");
        if (existing is not null && existing.GetString("status") == "True" && existing.GetString("reason") == "EvictionByEvictionAPI" &&
            existing.GetString("message") == "Eviction API: evicting")
        {
            return false;
        }
        var transition = existing?.GetString("status") == "True" ? existing["lastTransitionTime"]?.DeepClone() : MetaTime.ToJson(now);
        var condition = new JsonObject
        {
            ["type"] = "DisruptionTarget", ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = transition,
            ["reason"] = "EvictionByEvictionAPI", ["message"] = "Eviction API: evicting",
        };
        if (existing is null)
        {
            conditions.Add(condition);
        }
        else
        {
            conditions[conditions.IndexOf(existing)] = condition;
        }
        return true;
    }
}
