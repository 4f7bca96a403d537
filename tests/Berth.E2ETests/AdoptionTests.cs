using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>Issue 3: after kill -9 of the whole server, running pods keep running and the restarted agent adopts them.</summary>
[Trait("Category", "E2E")]
public sealed class AdoptionTests
{
    [Fact]
    public async Task KillDashNineServer_PodKeepsRunning_RestartAdoptsAndDeleteStillWorks()
    {
        var node = Environment.MachineName.ToLowerInvariant();
        var marker = "berthadopt" + Guid.NewGuid().ToString("N")[..8];
        var server = await BerthProcess.StartAsync();
        var dataDir = server.DataDir;
        var k = new Kubectl(server);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.RunAsync("get ns default")).ExitCode == 0, because: "bootstrap");
        await k.OkAsync("apply -f -", $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: survivor, namespace: default}
            spec:
              nodeName: {{node}}
              terminationGracePeriodSeconds: 2
              containers:
              - name: app
                image: busybox:1.36
                command: ["sh", "-c", "trap 'exit 0' TERM; : {{marker}}; while true; do echo tick; sleep 0.2; done"]
            """);
        await k.OkAsync("wait --for=condition=Ready pod/survivor --timeout=60s");
        var uid = (string?)JsonNode.Parse(await k.OkAsync("get pod survivor -o json"))!["metadata"]!["uid"];
        Assert.True(NodeAgentTests.ProcessesWith(marker) > 0);

        await server.KillAsync();
        await server.DisposeAsync();
        Assert.True(NodeAgentTests.ProcessesWith(marker) > 0, "the pod's process survives kill -9 of the server");

        await using var restarted = await BerthProcess.StartAsync(dataDir);
        var k2 = new Kubectl(restarted);
        await k2.OkAsync("wait --for=condition=Ready pod/survivor --timeout=60s");
        var pod = JsonNode.Parse(await k2.OkAsync("get pod survivor -o json"))!;
        Assert.Equal(uid, (string?)pod["metadata"]!["uid"]);
        Assert.Equal(0, (int)pod["status"]!["containerStatuses"]![0]!["restartCount"]!);
        Assert.Equal("Running", (string?)pod["status"]!["phase"]);

        await k2.OkAsync("delete pod survivor");
        await AsyncTestHelpers.WaitUntilAsync(() => NodeAgentTests.ProcessesWith(marker) == 0, because: "the adopted pod was stopped");
    }
}
