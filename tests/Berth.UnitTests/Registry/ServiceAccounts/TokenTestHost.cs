using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry.Core.ServiceAccounts;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Registry.ServiceAccounts;

/// <summary>The real registry with a token issuer over an in-memory store and a fake clock; namespace <c>default</c> with ServiceAccount <c>default</c>.</summary>
internal sealed class TokenTestHost : IDisposable
{
    public const string Ns = "default";

    public static readonly DateTimeOffset Start = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TokenTestHost(bool withIssuer = true)
    {
        Issuer = new ServiceAccountTokenIssuer(_key, Time);
        Api = new ApiRegistry(new InMemoryResourceStore(), StrategyCatalog.CreateDefault(), Time,
            new RegistryOptions { TokenIssuer = withIssuer ? Issuer : null });
        Authenticator = new ServiceAccountTokenAuthenticator(Api, Issuer, Time);
        Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = Ns } }).GetAwaiter().GetResult();
        Api.CreateAsync(KindRegistry.ServiceAccounts, Ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }).GetAwaiter().GetResult();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public ServiceAccountTokenIssuer Issuer { get; }

    public ApiRegistry Api { get; }

    public ServiceAccountTokenAuthenticator Authenticator { get; }

    public void Dispose() => _key.Dispose();

    public Task<JsonObject> CreatePodAsync(string name, string account = "default", bool? automount = null)
    {
        var spec = new JsonObject
        {
            ["serviceAccountName"] = account,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox", ["command"] = new JsonArray("sleep", "1") }),
        };
        if (automount is { } a)
        {
            spec["automountServiceAccountToken"] = a;
        }
        return Api.CreateAsync(KindRegistry.Pods, Ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec });
    }

    public Task<JsonObject> RequestTokenAsync(string account, JsonObject? spec = null, JsonObject? metadata = null) =>
        Api.CreateAsync(KindRegistry.ServiceAccounts, Ns, account, "token", new JsonObject
        {
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["kind"] = "TokenRequest",
            ["metadata"] = metadata ?? new JsonObject(),
            ["spec"] = spec ?? new JsonObject(),
        });

    public static JsonObject PodRef(string name, string? uid = null, string kind = "Pod", string apiVersion = "v1")
    {
        var r = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion, ["name"] = name };
        if (uid is not null)
        {
            r["uid"] = uid;
        }
        return r;
    }
}
