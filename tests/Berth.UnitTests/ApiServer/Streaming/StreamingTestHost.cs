using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Berth.ApiServer;
using Berth.ApiServer.Streaming;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Storage;
using Berth.Storage.InMemory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>
/// The resource API plus <c>MapPodStreaming()</c> on a real Kestrel at 127.0.0.1:0 (plain HTTP), over an in-memory store,
/// with namespace <c>default</c> and an optional streaming backend. Dispose stops it.
/// </summary>
internal sealed class StreamingTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StreamingTestHost(WebApplication app, Uri address)
    {
        _app = app;
        BaseAddress = address;
        Client = new HttpClient { BaseAddress = address, Timeout = AsyncTestHelpers.DefaultWait };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public IApiClient Api => _app.Services.GetRequiredService<IApiClient>();

    public static async Task<StreamingTestHost> StartAsync(IPodStreamingBackend? backend)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IResourceStore>(new InMemoryResourceStore());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddResourceApi();
        if (backend is not null)
        {
            builder.Services.AddSingleton(backend);
        }
        var app = builder.Build();
        app.MapPodStreaming();
        app.MapResourceApi();
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var host = new StreamingTestHost(app, new Uri(address));
        await host.Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        return host;
    }

    /// <summary>Creates pod <paramref name="name"/> with the given containers (and init containers), bound to node-1 unless unscheduled.</summary>
    public async Task CreatePodAsync(string name, string[] containers, string[]? initContainers = null, bool scheduled = true)
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" }).ToArray()),
        };
        if (initContainers is not null)
        {
            spec["initContainers"] = new JsonArray(initContainers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" }).ToArray());
        }
        if (scheduled)
        {
            spec["nodeName"] = "node-1";
        }
        var metadata = new JsonObject { ["name"] = name };
        await Api.CreateAsync(KindRegistry.Pods, "default", new JsonObject { ["metadata"] = metadata, ["spec"] = spec });
    }

    /// <summary>Sets <c>status.containerStatuses</c> through the status subresource.</summary>
    public async Task SetContainerStatusesAsync(string name, JsonArray statuses)
    {
        var pod = await Api.GetAsync(KindRegistry.Pods, "default", name);
        pod["status"] = new JsonObject { ["phase"] = "Running", ["containerStatuses"] = statuses };
        await Api.UpdateAsync(KindRegistry.Pods, "default", pod, "status");
    }

    public async Task<string> PodUidAsync(string name) =>
        (string)(await Api.GetAsync(KindRegistry.Pods, "default", name))["metadata"]!["uid"]!;

    /// <summary>A WebSocket connected to the exec endpoint of <paramref name="pod"/> with <paramref name="query"/>.</summary>
    public Task<ClientWebSocket> ConnectExecAsync(string pod, string query, params string[] protocols) =>
        ConnectAsync(pod, "exec", query, protocols);

    /// <summary>A WebSocket connected to <paramref name="subresource"/> (exec, attach) of <paramref name="pod"/> with <paramref name="query"/>.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string pod, string subresource, string query, params string[] protocols)
    {
        var socket = new ClientWebSocket();
        foreach (var p in protocols)
        {
            socket.Options.AddSubProtocol(p);
        }
        var uri = new UriBuilder(BaseAddress) { Scheme = "ws", Path = $"/api/v1/namespaces/default/pods/{pod}/{subresource}", Query = query }.Uri;
        await socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        return socket;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
