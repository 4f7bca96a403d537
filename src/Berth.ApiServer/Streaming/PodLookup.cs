using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;

namespace Berth.ApiServer.Streaming;

/// <summary>Loads the pod a streaming request names, through the same <see cref="IApiClient"/> every caller uses.</summary>
internal static class PodLookup
{
    /// <summary>The pod as a typed model; NotFound (<c>pods "x" not found</c>) when it or its namespace is missing.</summary>
    public static async Task<V1Pod> GetAsync(IApiClient api, string ns, string name, CancellationToken cancellationToken)
    {
        var obj = await api.GetAsync(KindRegistry.Pods, ns, name, cancellationToken).ConfigureAwait(false);
        return ApiJson.ToModel<V1Pod>(obj);
    }
}
