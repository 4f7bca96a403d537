using System.Text.Json.Nodes;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Streaming;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;
using Berth.Testing.Server;
using Berth.UnitTests.Kubelet.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>
/// The real kubectl 1.32 against the real <c>berth server</c> host (TLS, token auth, MapPodStreaming) whose streaming
/// backend is the in-process kubelet side over a real process runtime. The pod's status is written the way the
/// kubelet writes it (containerID berth://…), since no kubelet runs pods inside the server yet.
/// </summary>
[Trait("Category", "Process")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class KubectlLogsExecTests : IAsyncLifetime
{
    private readonly RuntimeHarness _h = new();
    private TestServerHost _host = null!;
    private KubectlRunner _kubectl = null!;

    private IApiClient Api => _host.Services.GetRequiredService<IApiClient>();

    public async Task InitializeAsync()
    {
        _host = await TestServerHost.StartAsync(configureServices: services =>
        {
            services.AddSingleton(_h.Runtime);
            services.AddSingleton(new ProcessRuntimeOptions { StateDirectory = _h.StateDirectory, LogDirectory = _h.LogDirectory });
            services.AddKubeletStreaming();
        });
        _kubectl = new KubectlRunner(_host.KubeconfigPath);
        try
        {
            await Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        }
        catch (ApiException e) when (e.Code == 409)
        {
            // Already bootstrapped by the server.
        }
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _host.DisposeAsync();
        _h.Dispose();
    }

    [Fact]
    public async Task Logs_TailAndTimestamps_AsKubectlPrintsThem()
    {
        await RunPodAsync("web", "echo one; echo two; echo three >&2; sleep 30");
        await WaitForLogAsync("web", "three");

        var all = await _kubectl.RunAsync(null, "logs", "web");
        var tail = await _kubectl.RunAsync(null, "logs", "web", "--tail=1", "--timestamps");

        Assert.True(all.Exit == 0, all.Stderr);
        Assert.Equal("one\ntwo\nthree\n", all.Stdout);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z three\n$", tail.Stdout);
    }

    [Fact]
    public async Task Logs_Follow_EndsWhenTheContainerExits()
    {
        await RunPodAsync("web", "echo start; sleep 2; echo done");

        var (exit, stdout, stderr) = await _kubectl.RunAsync(null, "logs", "-f", "web");

        Assert.True(exit == 0, stderr);
        Assert.Equal("start\ndone\n", stdout);
    }

    [Fact]
    public async Task Logs_PreviousWithoutRestart_UpstreamError()
    {
        await RunPodAsync("web", "sleep 30");

        var (exit, _, stderr) = await _kubectl.RunAsync(null, "logs", "web", "--previous");

        Assert.NotEqual(0, exit);
        Assert.Contains("Error from server (BadRequest): previous terminated container \"app\" in pod \"web\" not found", stderr);
    }

    [Fact]
    public async Task Logs_Deployment_PicksAPodBySelector()
    {
        await RunPodAsync("web-7d4f", "echo from the deployment; sleep 30", labels: new JsonObject { ["app"] = "web" });
        await WaitForLogAsync("web-7d4f", "from the deployment");
        await Api.CreateAsync(KindRegistry.Deployments, "default", JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
             "spec":{"replicas":0,"paused":true,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"busybox"}]}}}}
            """)!.AsObject());

        var (exit, stdout, stderr) = await _kubectl.RunAsync(null, "logs", "deploy/web");

        Assert.True(exit == 0, stderr);
        Assert.Equal("from the deployment\n", stdout);
    }

    [Fact]
    public async Task Exec_NonZeroExit_PrintedAndPropagated()
    {
        await RunPodAsync("web", "sleep 30");

        var (exit, stdout, stderr) = await _kubectl.RunAsync(null, "exec", "web", "--", "sh", "-c", "echo hi; echo oops >&2; exit 3");

        Assert.Equal(3, exit);
        Assert.Equal("hi\n", stdout);
        Assert.Contains("oops", stderr);
        Assert.Contains("command terminated with exit code 3", stderr);
    }

    [Fact]
    public async Task Exec_Stdin_EchoedByCat()
    {
        await RunPodAsync("web", "sleep 30");

        var (exit, stdout, stderr) = await _kubectl.RunAsync("hello through stdin\n", "exec", "-i", "web", "--", "cat");

        Assert.True(exit == 0, stderr);
        Assert.Equal("hello through stdin\n", stdout);
    }

    [Fact]
    public async Task Exec_ContainerContext_EnvAndWorkingDirectory()
    {
        await RunPodAsync("web", "sleep 30", env: new Dictionary<string, string> { ["POD_IP"] = "127.1.0.5" }, workingDirectory: "/tmp");

        var (exit, stdout, stderr) = await _kubectl.RunAsync(null, "exec", "web", "-c", "app", "--", "sh", "-c", "echo $POD_IP; pwd");

        Assert.True(exit == 0, stderr);
        Assert.Equal("127.1.0.5\n/tmp\n", stdout);
    }

    private async Task RunPodAsync(string name, string script, JsonObject? labels = null,
        Dictionary<string, string>? env = null, string? workingDirectory = null)
    {
        var pod = await Api.CreateAsync(KindRegistry.Pods, "default", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? new JsonObject() },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "berth-test",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "busybox" }),
            },
        });
        var uid = (string)pod["metadata"]!["uid"]!;
        var id = await _h.RunAsync(RuntimeHarness.Config("/bin/sh", "-c", script) with
        {
            PodUid = uid,
            PodName = name,
            Environment = env ?? new Dictionary<string, string>(),
            WorkingDirectory = workingDirectory,
        });
        pod = await Api.GetAsync(KindRegistry.Pods, "default", name);
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["containerStatuses"] = new JsonArray(new JsonObject
            {
                ["name"] = "app", ["image"] = "busybox", ["imageID"] = "", ["ready"] = true, ["restartCount"] = 0,
                ["containerID"] = id.ToUri(), ["started"] = true,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:00Z" } },
            }),
        };
        await Api.UpdateAsync(KindRegistry.Pods, "default", pod, "status");
    }

    private async Task WaitForLogAsync(string pod, string text)
    {
        var container = (await _h.Runtime.ListContainersAsync()).Single(c => c.Labels.Count == 0 && c.LogPath.Contains($"_{pod}_", StringComparison.Ordinal));
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(container.LogPath) && File.ReadAllText(container.LogPath).Contains(text, StringComparison.Ordinal));
    }
}
