using System.Text.Json.Nodes;
using Berth.Client.Informers;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.Namespaces;

/// <summary>The real registry (default strategies) over an in-memory store, plus a shared informer factory and a run token.</summary>
internal sealed class ControllerTestHost : IAsyncDisposable
{
    private readonly InMemoryResourceStore _store = new();
    private readonly List<Task> _running = [];

    public ControllerTestHost()
    {
        Api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), TimeProvider.System);
        Informers = new SharedInformerFactory(Api, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public ApiRegistry Api { get; }

    public SharedInformerFactory Informers { get; }

    public CancellationTokenSource Stop { get; } = new();

    public void Run(Func<CancellationToken, Task> loop) => _running.Add(Task.Run(() => loop(Stop.Token)));

    public Task<JsonObject> CreateNamespaceAsync(string name) =>
        Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });

    public Task<bool> ExistsAsync(ResourceKind kind, string? ns, string name) => Api.ExistsAsync(kind, ns, name);

    public async ValueTask DisposeAsync()
    {
        await Stop.CancelAsync();
        await Task.WhenAll(_running).DefaultTimeout();
        await Informers.DisposeAsync();
        await _store.DisposeAsync();
        Stop.Dispose();
    }
}
