using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Registry.Core.Services.Allocation;
using Berth.Registry.Generic;
using Berth.Storage;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Registry.Services;

/// <summary>The real registry with a Service allocator over one store; <see cref="Restart"/> builds a fresh registry and allocator over the same store.</summary>
internal sealed class ServiceAllocationHost : IAsyncDisposable
{
    private readonly IResourceStore _store = new InMemoryResourceStore();

    public ServiceAllocationHost(ServiceAllocatorOptions? options = null)
    {
        Options = options ?? new ServiceAllocatorOptions();
        Restart();
    }

    public ServiceAllocatorOptions Options { get; }

    public ServiceAllocator Allocator { get; private set; } = null!;

    public ApiRegistry Api { get; private set; } = null!;

    /// <summary>A new allocator and registry over the same store, as after a server restart.</summary>
    public void Restart()
    {
        Allocator = new ServiceAllocator(Options, NullLogger<ServiceAllocator>.Instance);
        Api = new ApiRegistry(_store, ServiceStrategies.CatalogWith(Allocator), TimeProvider.System);
    }

    public static JsonObject Service(string name, string? clusterIP = null, string type = "ClusterIP", int? nodePort = null)
    {
        var port = new JsonObject { ["port"] = 80 };
        if (nodePort is not null)
        {
            port["nodePort"] = nodePort.Value;
        }
        var spec = new JsonObject { ["type"] = type, ["selector"] = new JsonObject { ["app"] = name }, ["ports"] = new JsonArray(port) };
        if (type == "ExternalName")
        {
            spec = new JsonObject { ["type"] = type, ["externalName"] = "example.com" };
        }
        if (clusterIP is not null)
        {
            spec["clusterIP"] = clusterIP;
        }
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    public async Task<JsonObject> CreateAsync(JsonObject svc, bool dryRun = false)
    {
        try
        {
            await Api.GetAsync(KindRegistry.Namespaces, null, "default");
        }
        catch (Berth.Machinery.Errors.ApiException)
        {
            await Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        }
        return await Api.CreateAsync(KindRegistry.Services, "default", svc, new WriteOptions(DryRun: dryRun));
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}
