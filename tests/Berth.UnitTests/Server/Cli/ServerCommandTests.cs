using Berth.Server.Cli;
using Berth.Server.Options;

namespace Berth.UnitTests.Server.Cli;

public sealed class ServerCommandTests
{
    private ServerOptions? captured;

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = BerthCommandLine.Create((options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        });
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await BerthCommandLine.InvokeAsync(root, args, output, error).DefaultTimeout();
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Server_NoFlags_UsesDefaults()
    {
        var (exit, _, error) = await RunAsync("server");
        Assert.True(exit == 0, error);
        Assert.Equal(new ServerOptions(), captured);
        Assert.Equal(6443, captured!.Port);
        Assert.Equal("127.0.0.1", captured.BindAddress);
        Assert.Equal(StoreBackend.Sqlite, captured.Store);
        Assert.EndsWith(".berth", captured.DataDir);
        Assert.Equal(Math.Max(12, 6 * Environment.ProcessorCount), captured.MaxPodStartsInflight);
    }

    [Fact]
    public async Task Server_AllFlags_AreBound()
    {
        var (exit, _, error) = await RunAsync("server", "--data-dir", "/tmp/x", "--port", "0", "--bind", "127.0.0.2",
            "--store", "memory", "--node-name", "n1", "--history-retention", "90s", "--shutdown-grace-period", "1m30s",
            "--disable-kube-proxy", "--proxy-mode", "ebpf", "--warm-up-pod-path", "--max-pod-starts-inflight", "0");
        Assert.True(exit == 0, error);
        Assert.Equal(new ServerOptions
        {
            DataDir = "/tmp/x",
            Port = 0,
            BindAddress = "127.0.0.2",
            Store = StoreBackend.Memory,
            NodeName = "n1",
            HistoryRetention = TimeSpan.FromSeconds(90),
            ShutdownGracePeriod = TimeSpan.FromSeconds(90),
            DisableKubeProxy = true,
            ProxyMode = Berth.Proxy.ProxyMode.Ebpf,
            WarmUpPodPath = true,
            MaxPodStartsInflight = 0,
        }, captured);
    }

    [Theory]
    [InlineData("server", "--frobnicate")]
    [InlineData("server", "--port", "70000")]
    [InlineData("server", "--port", "abc")]
    [InlineData("server", "--bind", "not-an-ip")]
    [InlineData("server", "--store", "etcd")]
    [InlineData("server", "--proxy-mode", "iptables")]
    [InlineData("server", "--max-pod-starts-inflight", "-1")]
    [InlineData("server", "--history-retention", "5 minutes")]
    [InlineData("server", "--history-retention", "0")]
    [InlineData("server", "extra-argument")]
    [InlineData("serve")]
    [InlineData()]
    public async Task Invoke_BadCommandLine_FailsWithUsageAndDoesNotRun(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args);
        Assert.NotEqual(0, exit);
        Assert.Null(captured);
        Assert.Contains("Usage:", output + error);
    }

    [Fact]
    public async Task ServerHelp_ShowsDurationDefaultsInGoSyntax()
    {
        var (exit, output, _) = await RunAsync("server", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("[default: 5m0s]", output);
        Assert.Contains("[default: 30s]", output);
        Assert.Null(captured);
    }

    [Fact]
    public async Task Version_PrintsKubernetesVersion()
    {
        var (exit, output, _) = await RunAsync("version");
        Assert.Equal(0, exit);
        Assert.Contains("Kubernetes version: v1.32.0-berth", output);
    }
}
