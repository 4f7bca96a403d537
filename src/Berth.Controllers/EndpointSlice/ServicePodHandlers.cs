using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// Pod event handlers for the endpoint controllers: a pod event enqueues every Service in its namespace whose selector
/// matches the pod (before and after a label change), and updates that change nothing endpoints are built from are
/// ignored. Mirrors kubernetes/kubernetes staging/src/k8s.io/endpointslice/util/controller_utils.go
/// (GetPodServiceMemberships, GetServicesToUpdateOnPodChange).
/// </summary>
internal static class ServicePodHandlers
{
    public static ResourceEventHandlerFuncs For(ISharedInformer services, Action<ObjectKey> enqueue) => new()
    {
        AddFunc = (pod, _) => EnqueueMemberships(services, pod, enqueue),
        UpdateFunc = (oldPod, pod) =>
        {
            if (EndpointPods.EndpointRelevantState(oldPod) == EndpointPods.EndpointRelevantState(pod))
            {
                return;
            }
            EnqueueMemberships(services, pod, enqueue);
            if (!JsonNode.DeepEquals(oldPod.GetObject("metadata", "labels"), pod.GetObject("metadata", "labels")))
            {
                EnqueueMemberships(services, oldPod, enqueue);
            }
        },
        DeleteFunc = (pod, _) => EnqueueMemberships(services, pod, enqueue),
    };

    private static void EnqueueMemberships(ISharedInformer services, JsonObject pod, Action<ObjectKey> enqueue)
    {
        var ns = pod.GetNamespace() ?? "";
        var labels = pod.GetLabels();
        foreach (var svc in services.Lister.List(ns))
        {
            if (EndpointPods.ServiceSelector(svc) is { } selector && EndpointPods.Matches(selector, labels))
            {
                enqueue(new ObjectKey(ns, svc.GetName()!));
            }
        }
    }
}
