using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.Controllers.EndpointSlice;

/// <summary>
/// The EndpointSlice writes of a controller that owns slices (the EndpointSlice controller and the mirroring
/// controller), each recorded in its <see cref="EndpointSliceTracker"/> so that the next sync does not act on a cache
/// that has not seen the write yet. A create or update that fails throws (the queue retries); an update that hit
/// 404/409 first forgets the slice so the retry trusts the informer; a delete of a slice that is gone counts as done.
/// </summary>
internal sealed class TrackedSliceWriter(IApiClient client, EndpointSliceTracker tracker)
{
    public async Task CreateAsync(ObjectKey service, JsonObject slice, CancellationToken cancellationToken) =>
        tracker.Written(service, await client.CreateAsync(KindRegistry.EndpointSlices, service.Namespace, slice,
            cancellationToken: cancellationToken).ConfigureAwait(false));

    public async Task UpdateAsync(ObjectKey service, JsonObject slice, CancellationToken cancellationToken)
    {
        JsonObject updated;
        try
        {
            updated = await client.UpdateAsync(KindRegistry.EndpointSlices, service.Namespace, slice, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
            // Changed or deleted by someone else since our last write: trust the informer on the retry.
            tracker.Forget(service, slice.GetName()!);
            throw;
        }
        tracker.Written(service, updated);
    }

    public async Task DeleteAsync(ObjectKey service, JsonObject slice, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(KindRegistry.EndpointSlices, service.Namespace, slice.GetName()!, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone already: that is what we wanted.
        }
        tracker.MarkDeleted(service, slice.GetName()!);
    }
}
