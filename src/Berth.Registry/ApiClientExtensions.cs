using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.Registry;

/// <summary>Reads over <see cref="IApiClient"/> that treat absence as a value rather than an error.</summary>
public static class ApiClientExtensions
{
    /// <summary>The object, or null when the API answers 404; every other error propagates.</summary>
    public static async Task<JsonObject?> GetOrNullAsync(this IApiClient client, ResourceKind kind, string? ns, string name,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await client.GetAsync(kind, ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }
}
