using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Registry.Generic;
using Berth.Storage;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Registry.Generic;

/// <summary>An <see cref="ApiRegistry"/> over an in-memory store with fake time and test strategies.</summary>
internal sealed class RegistryTestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 22, 0, 0, 250, TimeSpan.Zero);

    public RegistryTestHost(StoreOptions? storeOptions = null, RegistryOptions? options = null, IResourceStore? store = null)
    {
        Store = store ?? new InMemoryResourceStore(storeOptions ?? new StoreOptions());
        Api = new ApiRegistry(Store, new StrategyCatalog([new TestPodStrategy(), new TestDeploymentStrategy()]), Time, options);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public IResourceStore Store { get; }

    public ApiRegistry Api { get; }

    public static JsonObject Pod(string name, string? node = null, JsonObject? labels = null)
    {
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }) },
        };
        if (node is not null)
        {
            pod["spec"]!["nodeName"] = node;
        }
        if (labels is not null)
        {
            pod["metadata"]!["labels"] = labels;
        }
        return pod;
    }

    public static JsonObject ConfigMap(string name, params string[] finalizers)
    {
        var meta = new JsonObject { ["name"] = name };
        if (finalizers.Length > 0)
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        }
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = new JsonObject { ["a"] = "1" } };
    }

    public async Task<JsonObject> CreateNamespaceAsync(string name = "default") =>
        await Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } });

    public async Task<JsonObject> CreatePodAsync(string name, string? node = null, string ns = "default") =>
        await Api.CreateAsync(KindRegistry.Pods, ns, Pod(name, node));

    public ValueTask DisposeAsync() => Store.DisposeAsync();
}
