using System.Text.Json.Nodes;
using Berth.Client.Events;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.Controllers.Util;

/// <summary>
/// Creates and deletes a controller's pods and records the owner's SuccessfulCreate/FailedCreate and
/// SuccessfulDelete/FailedDelete events. Stateless and thread-safe; expectations stay with the caller.
/// Mirrors kubernetes/kubernetes pkg/controller/controller_utils.go (RealPodControl).
/// </summary>
public sealed class PodControl(IApiClient client, IEventRecorder recorder)
{
    /// <summary>Creates <paramref name="pod"/> in <paramref name="owner"/>'s namespace; rethrows the API error after the FailedCreate event.</summary>
    public async Task CreatePodAsync(JsonObject owner, JsonObject pod, CancellationToken cancellationToken)
    {
        try
        {
            var created = await client.CreateAsync(KindRegistry.Pods, owner.GetNamespace(), pod, cancellationToken: cancellationToken).ConfigureAwait(false);
            recorder.Eventf(owner, EventTypes.Normal, "SuccessfulCreate", "Created pod: {0}", created.GetName());
        }
        catch (ApiException e)
        {
            recorder.Eventf(owner, EventTypes.Warning, "FailedCreate", "Error creating: {0}", e.Message);
            throw;
        }
    }

    /// <summary>
    /// Deletes <paramref name="pod"/> gracefully (its own grace period), guarded by its UID. Returns null on success,
    /// else the API error; <paramref name="failed"/> reports that no deletion will be observed (so the caller can
    /// lower its expectations), and NotFound or a UID mismatch then also count as done.
    /// </summary>
    public async Task<Exception?> DeletePodAsync(JsonObject owner, V1Pod pod, Action failed, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        try
        {
            await client.DeleteAsync(KindRegistry.Pods, pod.Metadata.NamespaceProperty ?? "", name, new DeleteOptions(PreconditionUid: pod.Metadata.Uid),
                cancellationToken).ConfigureAwait(false);
            recorder.Eventf(owner, EventTypes.Normal, "SuccessfulDelete", "Deleted pod: {0}", name);
            return null;
        }
        catch (ApiException e)
        {
            failed();
            if (e.Code is 404 or 409)
            {
                return null;
            }
            recorder.Eventf(owner, EventTypes.Warning, "FailedDelete", "Error deleting: {0}", e.Message);
            return e;
        }
    }
}
