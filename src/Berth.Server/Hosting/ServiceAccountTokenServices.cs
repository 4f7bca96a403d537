using System.Security.Cryptography;
using Berth.Controllers.ServiceAccounts;
using Berth.Registry;
using Berth.Registry.Core.ServiceAccounts;
using Berth.Registry.Generic;
using Berth.Server.Hosting.Controllers;

namespace Berth.Server.Hosting;

/// <summary>
/// Registers what ServiceAccount tokens need in the API server: the signing key (<see cref="ServiceAccountSigningKey"/>,
/// loaded on first resolution and disposed by the container), the <see cref="ServiceAccountTokenIssuer"/> behind
/// <c>serviceaccounts/{name}/token</c> (through <see cref="RegistryOptions.TokenIssuer"/>), and the
/// <see cref="ServiceAccountTokenAuthenticator"/> the bearer-token middleware consults, and the
/// <see cref="RootCaCertPublisher"/> controller (the CA file is read when it starts, after the TLS stage wrote it). Must run before
/// <c>AddResourceApi</c> (which registers default <see cref="RegistryOptions"/> only when none is registered).
/// </summary>
internal static class ServiceAccountTokenServices
{
    public static IServiceCollection AddServiceAccountTokens(this IServiceCollection services, DataDirectory dir)
    {
        services.AddSingleton<ECDsa>(_ => ServiceAccountSigningKey.LoadOrCreate(dir));
        services.AddSingleton(sp => new ServiceAccountTokenIssuer(sp.GetRequiredService<ECDsa>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RegistryOptions
        {
            TokenIssuer = sp.GetRequiredService<ServiceAccountTokenIssuer>(),
            PodStarts = sp.GetService<Berth.Registry.Core.Pods.PodStartQueue>(),
        });
        services.AddSingleton(sp => new ServiceAccountTokenAuthenticator(sp.GetRequiredService<IApiClient>(),
            sp.GetRequiredService<ServiceAccountTokenIssuer>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RootCaCertPublisher(sp.Api(), sp.Informers(), () => File.ReadAllText(dir.CaCertificate), sp.Time(),
            sp.GetRequiredService<ILogger<RootCaCertPublisher>>()));
        services.AddControllerRun("root-ca-cert-publisher", sp => sp.GetRequiredService<RootCaCertPublisher>().RunAsync);
        return services;
    }
}
