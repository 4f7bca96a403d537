using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer;
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

namespace Berth.UnitTests.ApiServer;

/// <summary>
/// The resource API on a real Kestrel at 127.0.0.1:0 (plain HTTP), over an in-memory store and the default strategies,
/// with namespace <c>default</c> created. Dispose stops the server.
/// </summary>
internal sealed class ApiServerTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServerTestHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IResourceStore Store => _app.Services.GetRequiredService<IResourceStore>();

    public IApiClient Api => _app.Services.GetRequiredService<IApiClient>();

    public static async Task<ApiServerTestHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IResourceStore>(new InMemoryResourceStore());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddResourceApi();
        var app = builder.Build();
        app.MapResourceApi();
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = AsyncTestHelpers.DefaultWait };
        var host = new ApiServerTestHost(app, client);
        await host.Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        return host;
    }

    public static JsonObject Pod(string name, string image = "nginx") => new()
    {
        ["apiVersion"] = "v1", ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { ["app"] = name } },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = image }) },
    };

    public static StringContent Json(string body, string mediaType = "application/json") =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await Client.SendAsync(request).DefaultTimeout();
    }

    public static async Task<JsonObject> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
