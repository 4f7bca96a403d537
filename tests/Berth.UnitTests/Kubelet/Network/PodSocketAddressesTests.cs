using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Kubelet.Runtime;
using Berth.UnitTests.Kubelet.Runtime;

namespace Berth.UnitTests.Kubelet.Network;

/// <summary>
/// Real processes in real cgroups with the BPF programs of <see cref="Berth.Kubelet.Network.PodSockets.PodSocketAddresses"/>:
/// two pods' listeners on the same wildcard port each land on their own pod IP, a pod's localhost reaches its own
/// listener and no other pod's, dual-stack wildcards and adoption after an agent restart are covered, and port-0
/// binds are left alone.
/// </summary>
[Trait("Category", "Process")]
public sealed class PodSocketAddressesTests
{
    // Accepts forever and answers each connection with argv[4]. argv: family (4|6), bind address, port, answer.
    private const string Listener = "import socket,sys\n"
        + "s=socket.socket(socket.AF_INET6 if sys.argv[1]=='6' else socket.AF_INET)\n"
        + "s.bind((sys.argv[2],int(sys.argv[3])));s.listen(8)\n"
        + "while True:\n c,_=s.accept();c.sendall(sys.argv[4].encode());c.close()\n";

    // Connects to argv[1]:argv[2] and writes "<peer> <answer>" or "refused" to argv[3].
    private const string Client = "import socket,sys\n"
        + "try:\n c=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=5);r=c.getpeername()[0]+' '+c.recv(64).decode()\n"
        + "except ConnectionRefusedError:\n r='refused'\n"
        + "open(sys.argv[3],'w').write(r)\n";

    private static readonly string Net = $"127.66.{Random.Shared.Next(1, 250)}.";

    [PodSocketsFact]
    public async Task TwoPods_ListenOnSameWildcardPort_EachServesOnItsPodAddress()
    {
        using var h = new RuntimeHarness();
        Assert.True(h.Runtime.MovesPodBinds);
        var port = FreePort();
        await h.RunAsync(Pod("a", Net + "1", "python3", "-c", Listener, "4", "0.0.0.0", port.ToString(), "pod-a"));
        await h.RunAsync(Pod("b", Net + "2", "python3", "-c", Listener, "4", "0.0.0.0", port.ToString(), "pod-b"));

        Assert.Equal("pod-a", await AnswerAsync(Net + "1", port));
        Assert.Equal("pod-b", await AnswerAsync(Net + "2", port));
    }

    [PodSocketsFact]
    public async Task Localhost_ReachesOwnPodsListener_NotAnotherPods()
    {
        using var h = new RuntimeHarness();
        var port = FreePort();
        await h.RunAsync(Pod("a", Net + "3", "python3", "-c", Listener, "4", "127.0.0.1", port.ToString(), "pod-a"));
        Assert.Equal("pod-a", await AnswerAsync(Net + "3", port));

        var sidecar = h.Scratch("sidecar.txt");
        var other = h.Scratch("other.txt");
        await h.RunAsync(Pod("a", Net + "3", "python3", "-c", Client, "127.0.0.1", port.ToString(), sidecar) with { ContainerName = "sidecar" });
        await h.RunAsync(Pod("b", Net + "4", "python3", "-c", Client, "::1", port.ToString(), other));

        Assert.Equal(Net + "3 pod-a", await ReadWhenWrittenAsync(sidecar));
        Assert.Equal("refused", await ReadWhenWrittenAsync(other));
    }

    [PodSocketsFact]
    public async Task LaterPodWithTheSameAddress_DoesNotInheritTheEarlierPodsListens()
    {
        using var h = new RuntimeHarness();
        var port = FreePort();
        // The host's own listener on localhost:port: a connect that is not rewritten reaches it.
        using var host = new TcpListener(IPAddress.Loopback, port);
        host.Start();
        using var stop = new CancellationTokenSource();
        var serving = ServeAsync(host, "host", stop.Token);
        var first = await h.RunAsync(Pod("a", Net + "9", "python3", "-c", Listener, "4", "127.0.0.1", port.ToString(), "pod-a"));
        Assert.Equal("pod-a", await AnswerAsync(Net + "9", port));
        await h.Runtime.StopContainerAsync(first, TimeSpan.FromSeconds(1), 15).DefaultTimeout();
        await h.WaitExitedAsync(first);

        var later = h.Scratch("later.txt");
        await h.RunAsync(Pod("b", Net + "9", "python3", "-c", Client, "127.0.0.1", port.ToString(), later));

        Assert.Equal("127.0.0.1 host", await ReadWhenWrittenAsync(later));
        await stop.CancelAsync();
        await serving;
    }

    private static async Task ServeAsync(TcpListener listener, string answer, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(answer), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The test is done.
        }
    }

    [PodSocketsFact]
    public async Task DualStackWildcard_ListensOnPodIPv4()
    {
        using var h = new RuntimeHarness();
        var port = FreePort();
        await h.RunAsync(Pod("a", Net + "5", "python3", "-c", Listener, "6", "::", port.ToString(), "pod-a6"));

        Assert.Equal("pod-a6", await AnswerAsync(Net + "5", port));
    }

    [PodSocketsFact]
    public async Task V6OnlyWildcard_LeftAlone()
    {
        using var h = new RuntimeHarness();
        var file = h.Scratch("v6only.txt");
        await h.RunAsync(Pod("a", Net + "10", "python3", "-c",
            "import socket,sys\ns=socket.socket(socket.AF_INET6);s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,1)\n"
            + "s.bind(('::',int(sys.argv[2])));open(sys.argv[1],'w').write(s.getsockname()[0])", file, FreePort().ToString()));

        Assert.Equal("::", await ReadWhenWrittenAsync(file));
    }

    [PodSocketsFact]
    public async Task EphemeralBind_LeftAlone()
    {
        using var h = new RuntimeHarness();
        var file = h.Scratch("ephemeral.txt");
        await h.RunAsync(Pod("a", Net + "6", "python3", "-c",
            "import socket,sys\ns=socket.socket();s.bind(('0.0.0.0',0));open(sys.argv[1],'w').write(s.getsockname()[0])", file));

        Assert.Equal("0.0.0.0", await ReadWhenWrittenAsync(file));
    }

    [PodSocketsFact]
    public async Task AgentRestart_AdoptedContainerStillMoved()
    {
        using var h = new RuntimeHarness();
        var port = FreePort();
        var go = h.Scratch("go");
        // Binds only once the test has restarted the agent: the new instance's programs must know the cgroup.
        var late = "import os,sys,time\nwhile not os.path.exists(sys.argv[5]): time.sleep(0.02)\n" + Listener;
        await h.RunAsync(Pod("a", Net + "7", "python3", "-c", late, "4", "0.0.0.0", port.ToString(), "adopted", go));

        h.Restart();
        await File.WriteAllTextAsync(go, "");

        Assert.Equal("adopted", await AnswerAsync(Net + "7", port));
    }

    private static ContainerConfig Pod(string pod, string address, params string[] argv) => RuntimeHarness.Config(argv) with
    {
        PodUid = $"0b5c3d7e-2222-4a2b-9c3d-00000000000{(pod == "a" ? 1 : 2)}",
        PodName = "pod-" + pod,
        PodAddress = address,
    };

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    // Connects (retrying while the listener starts) and reads the whole answer.
    private static async Task<string> AnswerAsync(string address, int port)
    {
        string? answer = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Parse(address), port);
                using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
                answer = await reader.ReadToEndAsync();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(10), because: $"a listener answers on {address}:{port}");
        return answer!;
    }

    private static async Task<string> ReadWhenWrittenAsync(string path)
    {
        await AsyncTestHelpers.WaitUntilAsync(() => File.Exists(path) && new FileInfo(path).Length > 0, TimeSpan.FromSeconds(10), because: path + " is written");
        return await File.ReadAllTextAsync(path);
    }
}
