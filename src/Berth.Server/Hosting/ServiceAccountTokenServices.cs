using System.Security.Cryptography;
using Berth.Registry;
using Berth.Registry.Core.ServiceAccounts;
using Berth.Registry.Generic;

namespace Berth.Server.Hosting;

/// <summary>
/// Registers what ServiceAccount tokens need in the API server: the signing key (<see cref="ServiceAccountSigningKey"/>,
/// loaded on first resolution and disposed by the container), the <see cref="ServiceAccountTokenIssuer"/> behind
/// <c>serviceaccounts/{name}/token</c> (through <see cref="RegistryOptions.TokenIssuer"/>), and the
/// <see cref="ServiceAccountTokenAuthenticator"/> the bearer-token middleware consults. Must run before
/// <c>AddResourceApi</c> (which registers default <see cref="RegistryOptions"/> only when none is registered).
/// </summary>
internal static class ServiceAccountTokenServices
{
    public static IServiceCollection AddServiceAccountTokens(this IServiceCollection services, DataDirectory dir)
    {
        services.AddSingleton<ECDsa>(_ => ServiceAccountSigningKey.LoadOrCreate(dir));
        services.AddSingleton(sp => new ServiceAccountTokenIssuer(sp.GetRequiredService<ECDsa>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RegistryOptions { TokenIssuer = sp.GetRequiredService<ServiceAccountTokenIssuer>() });
        services.AddSingleton(sp => new ServiceAccountTokenAuthenticator(sp.GetRequiredService<IApiClient>(),
            sp.GetRequiredService<ServiceAccountTokenIssuer>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
