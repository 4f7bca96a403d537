using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// What a pod asks a node for: the sum of its app containers and sidecars (restartable init containers), or the
/// largest init container step (an init container plus the sidecars started before it) when that is bigger, plus
/// <c>spec.overhead</c>. The non-zero variant counts a container without a cpu or memory request as 100m / 200Mi,
/// which only the scoring uses. Pure.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes staging/src/k8s.io/component-helpers/resource/helpers.go (PodRequests) and pkg/scheduler/util (GetNonzeroRequests).</remarks>
internal static class PodRequests
{
    public const long DefaultMilliCpuRequest = 100;
    public const long DefaultMemoryRequest = 200L * 1024 * 1024;

    /// <summary>
    /// Per model instance: informer models are shared and replaced on every change, so an entry is valid for exactly
    /// one resourceVersion of the pod and goes with it. The vectors must not be mutated.
    /// </summary>
    private static readonly ConditionalWeakTable<V1Pod, Tuple<ResourceVector, ResourceVector>> Cache = new();

    /// <summary>Requests and non-zero requests of an informer-cached (read-only) pod model, computed once per model.</summary>
    public static (ResourceVector Requests, ResourceVector NonZero) Cached(V1Pod pod)
    {
        var entry = Cache.GetValue(pod, p => Tuple.Create(Compute(p), Compute(p, nonZero: true)));
        return (entry.Item1, entry.Item2);
    }

    /// <summary>
    /// Per informer JSON object (replaced on every change, like the models): computed once from a transient model that
    /// is not kept, so a node's pods cost two vectors each instead of a cached <see cref="V1Pod"/>.
    /// </summary>
    private static readonly ConditionalWeakTable<JsonObject, Tuple<ResourceVector, ResourceVector>> JsonCache = new();

    /// <summary>Requests and non-zero requests of an informer-cached (read-only) pod object, computed once per object.</summary>
    public static (ResourceVector Requests, ResourceVector NonZero) Cached(JsonObject pod)
    {
        var entry = JsonCache.GetValue(pod, static p =>
        {
            var model = ApiJson.ToModel<V1Pod>(p);
            return Tuple.Create(Compute(model), Compute(model, nonZero: true));
        });
        return (entry.Item1, entry.Item2);
    }

    public static ResourceVector Compute(V1Pod pod, bool nonZero = false)
    {
        var requests = new ResourceVector();
        foreach (var container in pod.Spec?.Containers ?? [])
        {
            requests.Add(ContainerRequests(container, nonZero));
        }
        var sidecars = new ResourceVector();
        var initMax = new ResourceVector();
        foreach (var init in pod.Spec?.InitContainers ?? [])
        {
            var step = ContainerRequests(init, nonZero);
            if (init.RestartPolicy == "Always")
            {
                requests.Add(step);
                sidecars.Add(step);
                step = sidecars.Clone();
            }
            else
            {
                step.Add(sidecars);
            }
            initMax.SetMax(step);
        }
        requests.SetMax(initMax);
        if (pod.Spec?.Overhead is { } overhead)
        {
            requests.Add(ResourceVector.From(overhead));
        }
        return requests;
    }

    private static ResourceVector ContainerRequests(V1Container container, bool nonZero)
    {
        var requests = ResourceVector.From(container.Resources?.Requests);
        if (nonZero)
        {
            var declared = container.Resources?.Requests;
            if (declared is null || !declared.ContainsKey("cpu"))
            {
                requests.MilliCpu = DefaultMilliCpuRequest;
            }
            if (declared is null || !declared.ContainsKey("memory"))
            {
                requests.Memory = DefaultMemoryRequest;
            }
        }
        return requests;
    }
}
