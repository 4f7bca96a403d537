using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Microsoft.Extensions.Logging;

namespace Berth.Registry.Core.Services.Allocation;

/// <summary>
/// Builds the strategy catalog a server runs with: the default strategies, with the Service strategy wired to a
/// <see cref="ServiceAllocator"/> so creates, updates and deletes allocate and release cluster IPs and node ports.
/// </summary>
public static class ServiceStrategies
{
    public static StrategyCatalog CatalogWith(ServiceAllocator allocator) =>
        new(KnownStrategies.All().Where(s => s.Kind != KindRegistry.Services).Append(new ServiceStrategy(allocator)));

    /// <summary>A catalog with a new allocator for <paramref name="options"/> (validated by the caller).</summary>
    public static StrategyCatalog CatalogWith(ServiceAllocatorOptions options, ILoggerFactory loggers) =>
        CatalogWith(new ServiceAllocator(options, loggers.CreateLogger<ServiceAllocator>()));
}
