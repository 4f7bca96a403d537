using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Berth.E2ETests;

/// <summary>
/// <c>kubectl port-forward</c> against the real <c>berth server</c>: the SPDY session tunnelled in a WebSocket (kubectl
/// 1.31+, the default) and the raw SPDY upgrade (older kubectl, and kubectl's fallback), to a pod and through a
/// Service's targetPort, with a megabyte each way and half-close; a closed port reports the dial error.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class KubectlPortForwardTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string NodeName = Environment.MachineName.ToLowerInvariant();

    /// <summary>A TCP echo server on the pod's IP, port 7000: every byte back, and a close after the client's FIN.</summary>
    private const string EchoServer =
        "import os,socket,threading\\n" +
        "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind((os.environ['POD_IP'],7000)); s.listen()\\n" +
        "def h(c):\\n" +
        "  while True:\\n" +
        "    d=c.recv(65536)\\n" +
        "    if not d: break\\n" +
        "    c.sendall(d)\\n" +
        "  c.close()\\n" +
        "while True:\\n" +
        "  c,_=s.accept(); threading.Thread(target=h,args=(c,)).start()\\n";

    private Kubectl K => fixture.Kubectl;

    [Theory]
    [InlineData("pod/echo 0:7000", "true")]
    [InlineData("svc/echo 0:80", "true")]
    [InlineData("pod/echo 0:7000", "false")]
    public async Task PortForward_EchoServer_MegabyteBothWaysThenHalfClose(string target, string websockets)
    {
        var ns = await StartEchoAsync();
        await using var forward = K.Start($"port-forward -n {ns} {target}",
            new Dictionary<string, string> { ["KUBECTL_PORT_FORWARD_WEBSOCKETS"] = websockets });
        var port = await LocalPortAsync(forward);

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port).DefaultTimeout();
        var stream = client.GetStream();
        var sent = RandomNumberGenerator.GetBytes(1024 * 1024);
        var receiving = ReadToEndAsync(stream);
        await stream.WriteAsync(sent).AsTask().DefaultTimeout();
        client.Client.Shutdown(SocketShutdown.Send);
        var received = await receiving.DefaultTimeout(TimeSpan.FromSeconds(60));

        Assert.Equal(SHA256.HashData(sent), SHA256.HashData(received));
        Assert.Equal(sent.Length, received.Length);
        Assert.Contains(forward.Lines, l => l.StartsWith("Handling connection for ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PortForward_NothingListening_KubectlPrintsTheDialError()
    {
        var ns = await StartEchoAsync();
        await using var forward = K.Start($"port-forward -n {ns} pod/echo 0:7001");
        var port = await LocalPortAsync(forward);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", port).DefaultTimeout();
            var buffer = new byte[16];
            // kubectl closes the local connection once the error stream reports the failure.
            Assert.Equal(0, await client.GetStream().ReadAsync(buffer).AsTask().DefaultTimeout());
        }

        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(forward.ErrorLines.Any(l => l.Contains("connection refused", StringComparison.Ordinal))),
            because: "kubectl prints the error the server sent on the error stream");
        var error = forward.ErrorLines.First(l => l.Contains("connection refused", StringComparison.Ordinal));
        Assert.Contains($"an error occurred forwarding {port} -> 7001: error forwarding port 7001 to pod {ns}/echo", error, StringComparison.Ordinal);
    }

    private async Task<string> StartEchoAsync()
    {
        var ns = await fixture.NewNamespaceAsync("portforward");
        await K.OkAsync("apply -f -", $$$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: echo
              namespace: {{{ns}}}
              labels: {app: echo}
            spec:
              nodeName: {{{NodeName}}}
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: python:3.11
                command: ["python3", "-c", "{{{EchoServer}}}"]
                env:
                - name: POD_IP
                  valueFrom: {fieldRef: {fieldPath: status.podIP}}
                readinessProbe:
                  tcpSocket: {port: 7000}
                  periodSeconds: 1
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: echo
              namespace: {{{ns}}}
            spec:
              selector: {app: echo}
              ports:
              - port: 80
                targetPort: 7000
            """);
        await K.OkAsync($"wait --for=condition=Ready pod/echo -n {ns} --timeout=60s");
        return ns;
    }

    /// <summary>The local port kubectl chose (<c>Forwarding from 127.0.0.1:N -> …</c>).</summary>
    private static async Task<int> LocalPortAsync(Kubectl.LongRunning forward)
    {
        await AsyncTestHelpers.WaitUntilAsync(() => Task.FromResult(forward.Lines.Any(l => ForwardingLine().IsMatch(l))),
            timeout: TimeSpan.FromSeconds(30), because: "kubectl port-forward listens");
        return int.Parse(ForwardingLine().Match(forward.Lines.First(l => ForwardingLine().IsMatch(l))).Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [GeneratedRegex(@"^Forwarding from 127\.0\.0\.1:(\d+) -> ")]
    private static partial Regex ForwardingLine();
}
