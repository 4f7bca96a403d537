using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;

namespace Berth.Testing;

/// <summary>Reads tests make against any <see cref="IApiClient"/> (the registry, a fake, an HTTP client).</summary>
public static class ApiClientTestExtensions
{
    /// <summary>True when the object can be read; false on 404. Any other error is thrown.</summary>
    public static async Task<bool> ExistsAsync(this IApiClient api, ResourceKind kind, string? ns, string name)
    {
        try
        {
            await api.GetAsync(kind, ns, name).ConfigureAwait(false);
            return true;
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return false;
        }
    }
}
