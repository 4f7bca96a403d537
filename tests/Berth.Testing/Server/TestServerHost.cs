using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Berth.Server.Hosting;
using Berth.Testing.Processes;
using Berth.Server.Options;
using k8s;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.Testing.Server;

/// <summary>
/// The real Berth server started in this process: memory store, a free loopback port, a fresh temporary data
/// directory. Hands out the base URL, the token, the kubeconfig path, and clients that trust the generated CA.
/// Dispose to stop it (bounded) and delete the data directory. Several can run at once.
/// </summary>
public sealed class TestServerHost : IAsyncDisposable
{
    private TestServerHost(RunningServer server)
    {
        Server = server;
    }

    public RunningServer Server { get; }

    public Uri BaseAddress => Server.BaseAddress;

    public string Token => Server.Token;

    public string KubeconfigPath => Server.KubeconfigPath;

    public string DataDir => Server.DataDirectory.Root;

    public IServiceProvider Services => Server.Services;

    /// <summary>Test defaults: memory store, port 0, node name <c>berth-test</c>, cluster DNS off, pod and service ranges of its own (<see cref="TestNetworkRanges"/>), data dir under the temp directory.</summary>
    public static ServerOptions DefaultOptions(string dataDir) => new()
    {
        DataDir = dataDir,
        Port = 0,
        Store = StoreBackend.Memory,
        NodeName = "berth-test",
        DnsPort = 0,
        ClusterCidr = TestNetworkRanges.ClusterCidr(dataDir),
        ServiceClusterIPRange = TestNetworkRanges.ServiceClusterIPRange(dataDir),
    };

    /// <summary>
    /// Starts a server. <paramref name="configure"/> adjusts the test defaults (give it a <c>DataDir</c> to restart over
    /// existing state; that directory is then not deleted); <paramref name="configureServices"/> adds or replaces services.
    /// </summary>
    public static async Task<TestServerHost> StartAsync(Func<ServerOptions, ServerOptions>? configure = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var temp = TestDataDirectories.CreateOwned("berth-test-");
        var defaults = DefaultOptions(temp);
        var options = configure?.Invoke(defaults) ?? defaults;
        var ownsDataDir = options.DataDir == temp;
        if (!ownsDataDir)
        {
            // Ranges follow the data dir, so a restart over the same data keeps them (unless the test chose its own).
            options = options with
            {
                ClusterCidr = options.ClusterCidr == defaults.ClusterCidr ? TestNetworkRanges.ClusterCidr(options.DataDir) : options.ClusterCidr,
                ServiceClusterIPRange = options.ServiceClusterIPRange == defaults.ServiceClusterIPRange
                    ? TestNetworkRanges.ServiceClusterIPRange(options.DataDir) : options.ServiceClusterIPRange,
            };
            await TestDataDirectories.ReleaseAsync(temp).ConfigureAwait(false);
        }
        TestDataDirectories.Register(options.DataDir);
        try
        {
            return new TestServerHost(await BerthServer.StartAsync(options, configureServices).DefaultTimeout().ConfigureAwait(false));
        }
        catch
        {
            await TestDataDirectories.ReleaseAsync(options.DataDir).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An <see cref="HttpClient"/> for <see cref="BaseAddress"/> that trusts only the server's CA; with the bearer token unless <paramref name="authenticated"/> is false.</summary>
    public HttpClient CreateHttpClient(bool authenticated = true, Version? httpVersion = null)
    {
        var client = new HttpClient(CreateHandler(Server.CertificateAuthority), disposeHandler: true)
        {
            BaseAddress = BaseAddress,
            Timeout = AsyncTestHelpers.DefaultWait,
            DefaultRequestVersion = httpVersion ?? System.Net.HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        }
        return client;
    }

    /// <summary>The official C# client, configured from the kubeconfig the server wrote.</summary>
    public Kubernetes CreateKubernetesClient() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    /// <summary>
    /// Stops the server, bounded by its shutdown grace period plus the host's margin (the graceful node shutdown gives
    /// pods their grace), then kills whatever is left of its pods (<see cref="TestDataDirectories"/>) and deletes an
    /// owned data directory. Throws <see cref="TimeoutException"/> when the stop did not finish in time, after the cleanup.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var options = Server.Services.GetRequiredService<ServerOptions>();
        try
        {
            await Server.DisposeAsync().AsTask().DefaultTimeout(NodeStopTimeout.For(options.ShutdownGracePeriod)).ConfigureAwait(false);
        }
        finally
        {
            await TestDataDirectories.ReleaseAsync(DataDir).ConfigureAwait(false);
        }
    }

    /// <summary>A handler that validates the server certificate against <paramref name="authority"/> alone, host name included.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2 authority) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(leaf);
            },
        },
    };
}
