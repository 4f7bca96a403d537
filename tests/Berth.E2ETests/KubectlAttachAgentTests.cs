namespace Berth.E2ETests;

/// <summary>
/// kubectl run -i onto the node of a standalone <c>berth agent</c>: the server forwards pods/attach to the agent's
/// kubelet endpoint (one WebSocket, as for exec), and the agent's shim gives the container its stdin.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlAttachAgentTests
{
    private const string AgentNode = "node-b";

    [Fact]
    public async Task RunInteractive_PodOnAnAgentNode_StdinAndOutputForwarded()
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory");
        var k = new Kubectl(server);
        var agentDir = Berth.Testing.Processes.TestDataDirectories.CreateOwned("berth-agent-attach-");
        await using var agent = await AgentProcess.StartAsync(server, AgentNode, agentDir);
        await k.OkAsync($"wait --for=condition=Ready node/{AgentNode} --timeout=30s");

        var result = await k.RunAsync("run -i --rm --restart=Never on-b --image=busybox "
            + $"--overrides={{\"apiVersion\":\"v1\",\"spec\":{{\"nodeSelector\":{{\"kubernetes.io/hostname\":\"{AgentNode}\"}}}}}} "
            + "-- sh -c 'read l; echo got:$l'", stdin: "hello\n", timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("got:hello", result.Stdout, StringComparison.Ordinal);
    }
}
