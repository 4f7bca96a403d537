using System.CommandLine;
using Berth.Server.Cli;
using Berth.Server.Options;
using Berth.UnitTests.Server;

namespace Berth.UnitTests.Server.Cli;

public sealed class AgentCommandTests
{
    private AgentOptions? captured;

    private async Task<(int Exit, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand { Subcommands = { new AgentCommand().Create((options, _) => { captured = options; return Task.FromResult(0); }) } };
        var error = new StringWriter();
        var exit = await BerthCommandLine.InvokeAsync(root, args, new StringWriter(), error).DefaultTimeout();
        return (exit, error.ToString());
    }

    [Fact]
    public async Task Agent_RequiredFlagsOnly_DefaultsApplied()
    {
        var (exit, error) = await RunAsync("agent", "--server", "https://127.0.0.1:6443", "--token-file", "/tmp/token");

        Assert.True(exit == 0, error);
        Assert.Equal("https://127.0.0.1:6443", captured!.Server);
        Assert.Equal(ServerOptions.DefaultNodeName(), captured.NodeName);
        Assert.Equal(10250, captured.KubeletPort);
        Assert.Equal("127.0.0.1", captured.BindAddress);
        Assert.Null(captured.CertificateAuthority);
        Assert.EndsWith(Path.Combine(".berth", "agent-" + captured.NodeName), captured.EffectiveDataDir(), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), captured.ShutdownGracePeriod);
        Assert.False(captured.RunProxy);
    }

    [Fact]
    public async Task Agent_AllFlags_Bound()
    {
        var (exit, error) = await RunAsync("agent", "--server", "https://127.0.0.1:1", "--token-file", "/t", "--node-name", "node-b",
            "--certificate-authority", "/ca.pem", "--data-dir", "/d", "--kubelet-port", "0", "--bind-address", "127.0.0.3",
            "--shutdown-grace-period", "5s", "--proxy");

        Assert.True(exit == 0, error);
        Assert.Equal(new AgentOptions
        {
            Server = "https://127.0.0.1:1", TokenFile = "/t", NodeName = "node-b", CertificateAuthority = "/ca.pem", DataDir = "/d",
            KubeletPort = 0, BindAddress = "127.0.0.3", ShutdownGracePeriod = TimeSpan.FromSeconds(5), RunProxy = true,
        }, captured);
    }

    [Theory]
    [InlineData("agent", "--token-file", "/t")]
    [InlineData("agent", "--server", "https://127.0.0.1:1")]
    [InlineData("agent", "--server", "http://127.0.0.1:1", "--token-file", "/t")]
    [InlineData("agent", "--server", "https://127.0.0.1:1", "--token-file", "/t", "--node-name", "Not_A_Name")]
    [InlineData("agent", "--server", "https://127.0.0.1:1", "--token-file", "/t", "--kubelet-port", "70000")]
    [InlineData("agent", "--server", "https://127.0.0.1:1", "--token-file", "/t", "--shutdown-grace-period", "soon")]
    public async Task Agent_BadFlags_ParseErrorWithoutRunning(params string[] args)
    {
        var (exit, error) = await RunAsync(args);

        Assert.NotEqual(0, exit);
        Assert.NotEmpty(error);
        Assert.Null(captured);
    }

    [Fact]
    public void ResolveCertificateAuthority_NotGiven_CaNextToTokenFile()
    {
        using var dir = new TempDirectory();
        var token = Path.Combine(dir.Path, "token");
        var options = new AgentOptions { Server = "https://127.0.0.1:1", TokenFile = token };

        var missing = Assert.Throws<FileNotFoundException>(() => options.ResolveCertificateAuthority());
        File.WriteAllText(Path.Combine(dir.Path, "ca.crt"), "pem");

        Assert.Contains("--certificate-authority was not given", missing.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(dir.Path, "ca.crt"), options.ResolveCertificateAuthority());
        Assert.Throws<FileNotFoundException>(() => (options with { CertificateAuthority = Path.Combine(dir.Path, "nope") }).ResolveCertificateAuthority());
    }
}
