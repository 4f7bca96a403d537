using System.Text.Json.Nodes;
using Berth.Registry.Core.Pods.Eviction;

namespace Berth.Registry.Generic;

public sealed partial class ApiRegistry
{
    /// <summary>POST pods/{name}/eviction, with the budget checks of <see cref="EvictionRest"/> over this registry.</summary>
    private Task<WriteResult> EvictAsync(string? ns, string name, JsonObject eviction, WriteOptions options, CancellationToken cancellationToken) =>
        new EvictionRest(this, _time).CreateAsync(ns, name, eviction, options, cancellationToken);
}
