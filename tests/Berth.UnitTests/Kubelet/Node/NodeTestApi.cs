using System.Text.Json.Nodes;
using Berth.Kubelet.Node;
using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using Berth.Storage.InMemory;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Node;

/// <summary>A real <see cref="ApiRegistry"/> (in-memory store, default strategies) on a fake clock, with the system namespaces.</summary>
internal sealed class NodeTestApi : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 123, TimeSpan.Zero).AddTicks(4560);

    private readonly InMemoryResourceStore _store = new();

    public NodeTestApi()
    {
        Api = new ApiRegistry(_store, StrategyCatalog.CreateDefault(), Time);
        foreach (var ns in (string[])["default", "kube-node-lease"])
        {
            Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }).GetAwaiter().GetResult();
        }
    }

    public CountingTimeProvider Time { get; } = new(Start);

    public ApiRegistry Api { get; }

    public static MachineInfo Machine { get; } = new(8, 16L * 1024 * 1024 * 1024 + 4096, 200_000_000_000, "mid", "uuid", "boot", "6.8.0-berth",
        "Ubuntu 24.04 LTS", "amd64");

    public static NodeRegistrationOptions Options(string name = "node-a") => new() { NodeName = name, PodCidr = "127.1.0.0/16", RootDirectory = "/" };

    public Task<JsonObject> NodeAsync(string name = "node-a") => Api.GetAsync(KindRegistry.Nodes, null, name);

    public ValueTask DisposeAsync() => _store.DisposeAsync();
}

/// <summary>A <see cref="FakeTimeProvider"/> that counts created timers, so tests advance time only once a loop waits.</summary>
internal sealed class CountingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private int _timers;

    public int TimersCreated => Volatile.Read(ref _timers);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _timers);
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
