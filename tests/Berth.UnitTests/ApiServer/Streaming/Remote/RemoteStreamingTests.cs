using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Berth.ApiServer.Streaming;
using Berth.ApiServer.Streaming.Remote;
using k8s.Models;

namespace Berth.UnitTests.ApiServer.Streaming.Remote;

public sealed class RemoteStreamingTests
{
    private static JsonObject Node(string? pin, int port = 10777)
    {
        var node = JsonNode.Parse("""
            {"metadata":{"name":"node-b","annotations":{}},
             "status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"},{"type":"Hostname","address":"node-b"}],
                       "daemonEndpoints":{"kubeletEndpoint":{"Port":0}}}}
            """)!.AsObject();
        node["status"]!["daemonEndpoints"]!["kubeletEndpoint"]!["Port"] = port;
        if (pin is not null)
        {
            node["metadata"]!["annotations"]![KubeletEndpoint.PinAnnotation] = pin;
        }
        return node;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = TimeProvider.System.GetUtcNow();
        return new CertificateRequest("CN=test", key, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddMinutes(-1), now.AddHours(1));
    }

    [Fact]
    public void FromNode_PublishedEndpoint_AddressPortAndPin()
    {
        var endpoint = KubeletEndpoint.FromNode(Node("ABCDEF"));

        Assert.Equal(new Uri("https://127.0.0.1:10777/"), endpoint!.BaseAddress);
        Assert.Equal("abcdef", endpoint.CertificateSha256);
    }

    [Fact]
    public void FromNode_NoPinOrPort_Null()
    {
        Assert.Null(KubeletEndpoint.FromNode(Node(null)));
        Assert.Null(KubeletEndpoint.FromNode(Node("ab", port: 0)));
    }

    [Fact]
    public void Validator_OnlyThePinnedCertificate_Accepted()
    {
        using var pinned = SelfSigned();
        using var other = SelfSigned();
        var validate = new KubeletEndpoint(new Uri("https://127.0.0.1:1/"), Convert.ToHexStringLower(SHA256.HashData(pinned.RawData))).Validator();

        Assert.True(validate(this, pinned, null, System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(validate(this, other, null, System.Net.Security.SslPolicyErrors.None));
        Assert.False(validate(this, null, null, System.Net.Security.SslPolicyErrors.None));
    }

    [Fact]
    public async Task NodeRouting_LocalNodeToLocal_OthersToRemote()
    {
        var local = new ScriptedBackend { LogText = "local" };
        var remote = new ScriptedBackend { LogText = "remote" };
        var routing = new NodeRoutingStreamingBackend("server-node", local, remote);

        var fromLocal = await ReadLogAsync(routing, "server-node");
        var fromRemote = await ReadLogAsync(routing, "node-b");

        Assert.Equal(("local", "remote"), (fromLocal, fromRemote));
    }

    private static async Task<string> ReadLogAsync(IPodStreamingBackend backend, string node)
    {
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "ns" }, Spec = new V1PodSpec { NodeName = node } };
        using var output = new MemoryStream();
        await backend.StreamLogsAsync(pod, new PodLogOptions("c"), output, CancellationToken.None).DefaultTimeout();
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    [Fact]
    public void LogQuery_AllOptions_AgentReadsThemBack()
    {
        var query = RemotePodStreamingBackend.LogQuery(new PodLogOptions("app", Follow: true, Previous: true,
            SinceTime: new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), Timestamps: true, TailLines: 10, LimitBytes: 99));

        Assert.Equal("?container=app&follow=true&previous=true&timestamps=true&sinceTime=2026-01-02T03%3A04%3A05.1234567Z&tailLines=10&limitBytes=99", query);
    }

    [Fact]
    public void ExecQuery_Command_OneParameterPerArgument()
    {
        var query = RemotePodStreamingBackend.ExecQuery(new PodExecOptions("app", ["sh", "-c", "echo a b"], Stdin: true, Stdout: true, Stderr: false, Tty: true));

        Assert.Equal("?container=app&command=sh&command=-c&command=echo%20a%20b&stdin=true&stdout=true&tty=true", query);
    }

    [Fact]
    public void AttachQuery_Flags_OnlyTheRequestedStreams()
    {
        var query = RemotePodStreamingBackend.AttachQuery(new PodAttachOptions("app", Stdin: true, Stdout: true, Stderr: true, Tty: false));

        Assert.Equal("?container=app&stdin=true&stdout=true&stderr=true", query);
    }
}
