using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Berth.Client.Remote;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.IntegrationTests.Remote;

/// <summary>
/// One live in-process server and two clients for it: the in-process <see cref="IApiClient"/> (the registry) and a
/// <see cref="RemoteApiClient"/> that reaches the same server over HTTPS with the CA file and token it wrote.
/// </summary>
public sealed class RemoteClientFixture : IAsyncLifetime
{
    private readonly BerthServerFixture server = new();

    public TestServerHost Host => server.Host;

    public IApiClient Local => Host.Services.GetRequiredService<IApiClient>();

    public RemoteApiClient Remote { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await server.InitializeAsync();
        Remote = new RemoteApiClient(RemoteApiClientOptions.FromFiles(Host.BaseAddress, Path.Combine(Host.DataDir, "token"),
            Path.Combine(Host.DataDir, "ca.crt")));
    }

    public async Task DisposeAsync()
    {
        Remote?.Dispose();
        await server.DisposeAsync();
    }

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var ns = "rc-" + Guid.NewGuid().ToString("N")[..8];
        await Local.CreateAsync(KindRegistry.Namespaces, null,
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }).DefaultTimeout();
        // The root CA publisher adds kube-root-ca.crt to every new namespace (as upstream); wait for it so that the
        // tests' lists see a namespace that no longer changes on its own.
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                await Local.GetAsync(KindRegistry.ConfigMaps, ns, "kube-root-ca.crt").DefaultTimeout();
                return true;
            }
            catch (ApiException e) when (e.Code == 404)
            {
                return false;
            }
        }, because: $"kube-root-ca.crt published in {ns}");
        return ns;
    }

    /// <summary>A remote client with other credentials or trust (for negative tests); the caller disposes it.</summary>
    public RemoteApiClient CreateRemote(string token, X509Certificate2Collection authorities) =>
        new(new RemoteApiClientOptions { Server = Host.BaseAddress, Token = token, CertificateAuthorities = authorities });

    public static JsonObject ConfigMap(string name, string value, IReadOnlyDictionary<string, string>? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            meta["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = new JsonObject { ["k"] = value } };
    }

    /// <summary>A pod no scheduler picks up (its schedulerName is nobody's), so tests can bind and evict it themselves.</summary>
    public static JsonObject UnscheduledPod(string name) => JsonNode.Parse($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},
         "spec":{"schedulerName":"nobody","terminationGracePeriodSeconds":30,
                 "containers":[{"name":"c","image":"busybox","command":["sleep","3600"]}]}}
        """)!.AsObject();

    /// <summary>Runs <paramref name="call"/> on both clients and returns both errors.</summary>
    public async Task<(ApiException Local, ApiException Remote)> BothFailAsync(Func<IApiClient, Task> call)
    {
        var local = await Assert.ThrowsAsync<ApiException>(() => call(Local)).DefaultTimeout();
        var remote = await Assert.ThrowsAsync<ApiException>(() => call(Remote)).DefaultTimeout();
        return (local, remote);
    }

    /// <summary>Asserts that two errors would render the same Status (code, reason, message, details).</summary>
    public static void AssertSameError(ApiException expected, ApiException actual) =>
        Assert.Equal(StatusJson.Serialize(expected), StatusJson.Serialize(actual));
}
