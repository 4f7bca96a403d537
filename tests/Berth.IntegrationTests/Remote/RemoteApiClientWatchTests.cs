using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Berth.Client.Informers;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using Berth.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.IntegrationTests.Remote.RemoteClientFixture;

namespace Berth.IntegrationTests.Remote;

/// <summary>Streaming watch, 410, informers over the remote client, and its trust and authentication.</summary>
public sealed class RemoteApiClientWatchTests(RemoteClientFixture fixture) : IClassFixture<RemoteClientFixture>
{
    private static readonly ResourceKind ConfigMaps = KindRegistry.ConfigMaps;

    // Every namespace gets a kube-root-ca.crt ConfigMap from the root CA publisher a moment after it is created, as
    // upstream; the tests watch and list only the ConfigMaps they create.
    private static readonly Dictionary<string, string> Mine = new() { ["test"] = "remote-watch" };
    private const string MineSelector = "test=remote-watch";

    private static async Task<List<(ApiWatchEventType, string?)>> TakeAsync(IApiClient client, string ns, ListOptions options, int count)
    {
        using var cts = new CancellationTokenSource(AsyncTestHelpers.DefaultWait);
        var seen = new List<(ApiWatchEventType, string?)>();
        await foreach (var ev in client.WatchAsync(ConfigMaps, ns, options with { LabelSelector = MineSelector }, cts.Token))
        {
            seen.Add((ev.Type, ev.Object.GetName()));
            if (seen.Count == count)
            {
                break;
            }
        }
        return seen;
    }

    [Fact]
    public async Task WatchAsync_FromResourceVersion_SameEventsAsInProcess()
    {
        var ns = await fixture.NewNamespaceAsync();
        var a = await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("a", "1", Mine)).DefaultTimeout();
        await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("b", "1", Mine)).DefaultTimeout();
        a["data"]!["k"] = "2";
        await fixture.Remote.UpdateAsync(ConfigMaps, ns, a).DefaultTimeout();
        await fixture.Remote.DeleteAsync(ConfigMaps, ns, "b").DefaultTimeout();
        var options = new ListOptions(ResourceVersion: a.GetResourceVersion());

        var local = await TakeAsync(fixture.Local, ns, options, 3);
        var remote = await TakeAsync(fixture.Remote, ns, options, 3);

        Assert.Equal([(ApiWatchEventType.Added, "b"), (ApiWatchEventType.Modified, "a"), (ApiWatchEventType.Deleted, "b")], remote);
        Assert.Equal(local, remote);
    }

    [Fact]
    public async Task WatchAsync_ResourceVersionZero_SyntheticAddedThenLiveEvents()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("existing", "1", Mine)).DefaultTimeout();

        var watch = TakeAsync(fixture.Remote, ns, new ListOptions(ResourceVersion: "0"), 2);
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            await fixture.Local.CreateAsync(ConfigMaps, ns, ConfigMap("live-" + Guid.NewGuid().ToString("N")[..6], "1", Mine)).DefaultTimeout();
            return watch.IsCompleted;
        });
        var seen = await watch.DefaultTimeout();

        Assert.Equal((ApiWatchEventType.Added, "existing"), seen[0]);
        Assert.StartsWith("live-", seen[1].Item2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_CompactedResourceVersion_Throws410LikeInProcess()
    {
        var ns = await fixture.NewNamespaceAsync();
        var first = await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("old", "1", Mine)).DefaultTimeout();
        await fixture.Remote.CreateAsync(ConfigMaps, ns, ConfigMap("newer", "1", Mine)).DefaultTimeout();
        var store = fixture.Host.Services.GetRequiredService<IResourceStore>();
        await store.CompactAsync(store.CurrentRevision).DefaultTimeout();
        var options = new ListOptions(ResourceVersion: first.GetResourceVersion());

        var (local, remote) = await fixture.BothFailAsync(c => TakeAsync(c, ns, options, 1));

        Assert.Equal(410, remote.Code);
        Assert.Equal(StatusReason.Expired, remote.Reason);
        Assert.Equal(local.Message, remote.Message);
    }

    [Fact]
    public async Task WatchAsync_TimeoutSeconds_StreamEnds()
    {
        var ns = await fixture.NewNamespaceAsync();

        var events = await TakeAsync(fixture.Remote, ns, new ListOptions(TimeoutSeconds: 1), 10).DefaultTimeout();

        Assert.Empty(events);
    }

    [Fact]
    public async Task SharedInformer_OverRemoteClient_ListsThenFollowsChanges()
    {
        var ns = await fixture.NewNamespaceAsync();
        await fixture.Local.CreateAsync(ConfigMaps, ns, ConfigMap("before", "1", Mine)).DefaultTimeout();
        var informer = new SharedInformer(fixture.Remote, ConfigMaps, new InformerOptions(Namespace: ns, ListOptions: new ListOptions(LabelSelector: MineSelector)), TimeProvider.System, NullLoggerFactory.Instance);
        var deleted = new ConcurrentQueue<string?>();
        informer.AddEventHandler(new ResourceEventHandlerFuncs { DeleteFunc = (obj, _) => deleted.Enqueue(obj.GetName()) });
        using var cts = new CancellationTokenSource();
        var run = informer.RunAsync(cts.Token);

        await informer.WaitForCacheSyncAsync().DefaultTimeout();
        var listed = informer.Lister.List().Select(o => o.GetName()).ToList();
        await fixture.Local.CreateAsync(ConfigMaps, ns, ConfigMap("after", "1", Mine)).DefaultTimeout();
        await fixture.Local.DeleteAsync(ConfigMaps, ns, "before").DefaultTimeout();
        await AsyncTestHelpers.WaitUntilAsync(() => deleted.Contains("before") && informer.Lister.List().Count == 1);
        await cts.CancelAsync();
        await run.DefaultTimeout();

        Assert.Equal(["before"], listed);
        Assert.Equal("after", informer.Lister.List().Single().GetName());
    }

    [Fact]
    public async Task GetAsync_WrongToken_Unauthorized401()
    {
        using var remote = fixture.CreateRemote("wrong-token", [fixture.Host.Server.CertificateAuthority]);

        var error = await Assert.ThrowsAsync<ApiException>(() => remote.GetAsync(KindRegistry.Namespaces, null, "default")).DefaultTimeout();

        Assert.Equal(401, error.Code);
        Assert.Equal(StatusReason.Unauthorized, error.Reason);
    }

    [Fact]
    public async Task GetAsync_UntrustedServerCertificate_RefusedBeforeSendingToken()
    {
        using var otherAuthority = Berth.Server.Tls.CertificateFactory.CreateAuthority(TimeProvider.System.GetUtcNow());
        using var remote = fixture.CreateRemote(fixture.Host.Token, [X509CertificateLoader.LoadCertificate(otherAuthority.RawData)]);

        await Assert.ThrowsAsync<HttpRequestException>(() => remote.GetAsync(KindRegistry.Namespaces, null, "default")).DefaultTimeout();
    }
}
