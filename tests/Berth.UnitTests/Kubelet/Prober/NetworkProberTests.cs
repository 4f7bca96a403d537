using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Berth.Kubelet.Lifecycle;
using Berth.Kubelet.Prober;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.UnitTests.Kubelet.Prober;

/// <summary>httpGet, tcpSocket and grpc probes against real listeners on 127.0.0.1.</summary>
[Trait("Category", "Process")]
public sealed class NetworkProberTests : IAsyncLifetime
{
    private readonly HttpClient _client = LifecycleHttpClients.Create();
    private WebApplication? _http;
    private WebApplication? _grpc;
    private int _httpPort;
    private int _grpcPort;

    public async Task InitializeAsync()
    {
        _http = Build(HttpProtocols.Http1);
        _http.MapGet("/healthz", () => "ok");
        _http.MapGet("/fail", () => Results.StatusCode(503));
        _http.MapGet("/headers", (HttpRequest r) => r.Headers["X-Probe"].ToString() == "yes" ? Results.Ok() : Results.StatusCode(400));
        await _http.StartAsync();
        _httpPort = new Uri(_http.Urls.First()).Port;

        _grpc = Build(HttpProtocols.Http2);
        _grpc.MapPost("/grpc.health.v1.Health/Check", HealthCheck);
        await _grpc.StartAsync();
        _grpcPort = new Uri(_grpc.Urls.First()).Port;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _http!.DisposeAsync();
        await _grpc!.DisposeAsync();
    }

    [Theory]
    [InlineData("/healthz", ProbeOutcomeKind.Success, "ok")]
    [InlineData("/fail", ProbeOutcomeKind.Failure, "HTTP probe failed with statuscode: 503")]
    public async Task HttpProbe_StatusCodes_SuccessBelow400(string path, ProbeOutcomeKind kind, string output)
    {
        var outcome = await new HttpProber(_client, TimeProvider.System).ProbeAsync(Action(path, _httpPort), TestSupport.TestPods.Container("app"),
            "127.0.0.1", TimeSpan.FromSeconds(2), CancellationToken.None).DefaultTimeout();

        Assert.Equal((kind, output), (outcome.Kind, outcome.Output));
    }

    [Fact]
    public async Task HttpProbe_HeadersAndNamedPort_Sent()
    {
        var container = TestSupport.TestPods.Container("app");
        container.Ports = [new V1ContainerPort { Name = "web", ContainerPort = _httpPort }];
        var action = Action("/headers", 0);
        action.Port = "web";
        action.HttpHeaders = [new V1HTTPHeader { Name = "X-Probe", Value = "yes" }];

        var outcome = await new HttpProber(_client, TimeProvider.System).ProbeAsync(action, container, "127.0.0.1", TimeSpan.FromSeconds(2), CancellationToken.None).DefaultTimeout();

        Assert.Equal(ProbeOutcomeKind.Success, outcome.Kind);
    }

    [Fact]
    public async Task HttpProbe_ClosedPort_ConnectionRefusedText()
    {
        var port = FreePort();
        var outcome = await new HttpProber(_client, TimeProvider.System).ProbeAsync(Action("/", port), TestSupport.TestPods.Container("app"),
            "127.0.0.1", TimeSpan.FromSeconds(2), CancellationToken.None).DefaultTimeout();

        Assert.Equal($"Get \"http://127.0.0.1:{port}/\": dial tcp 127.0.0.1:{port}: connect: connection refused", outcome.Output);
    }

    [Fact]
    public async Task TcpProbe_OpenAndClosedPorts_SuccessAndRefused()
    {
        var prober = new TcpProber(TimeProvider.System);
        var port = FreePort();

        Assert.Equal(ProbeOutcomeKind.Success, (await prober.ProbeAsync("127.0.0.1", _httpPort, TimeSpan.FromSeconds(2), CancellationToken.None).DefaultTimeout()).Kind);
        var refused = await prober.ProbeAsync("127.0.0.1", port, TimeSpan.FromSeconds(2), CancellationToken.None).DefaultTimeout();
        Assert.Equal($"dial tcp 127.0.0.1:{port}: connect: connection refused", refused.Output);
    }

    [Theory]
    [InlineData("", ProbeOutcomeKind.Success, "")]
    [InlineData("down", ProbeOutcomeKind.Failure, "service unhealthy (responded with \"NOT_SERVING\")")]
    [InlineData("unknown", ProbeOutcomeKind.Failure, "error: health rpc probe failed: rpc error: code = NotFound desc = unknown service")]
    public async Task GrpcProbe_HealthCheck_ServingStatusMapped(string service, ProbeOutcomeKind kind, string output)
    {
        var outcome = await new GrpcProber(_client, TimeProvider.System).ProbeAsync("127.0.0.1", _grpcPort, service, TimeSpan.FromSeconds(2), CancellationToken.None).DefaultTimeout();

        Assert.Equal((kind, output), (outcome.Kind, outcome.Output));
    }

    private static WebApplication Build(HttpProtocols protocols)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols));
        return builder.Build();
    }

    // A hand-written grpc.health.v1.Health/Check: "" serving, "down" not serving, anything else NotFound.
    private static async Task HealthCheck(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        var service = bytes.Length > 7 ? System.Text.Encoding.UTF8.GetString(bytes, 7, bytes[6]) : "";
        context.Response.ContentType = "application/grpc";
        if (service is not ("" or "down"))
        {
            context.Response.AppendTrailer("grpc-status", "5");
            context.Response.AppendTrailer("grpc-message", "unknown service");
            return;
        }

        var frame = new byte[7];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), 2);
        (frame[5], frame[6]) = (0x08, (byte)(service == "" ? 1 : 2));
        await context.Response.Body.WriteAsync(frame);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static V1HTTPGetAction Action(string path, int port) => new() { Path = path, Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
