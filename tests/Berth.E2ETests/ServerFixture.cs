namespace Berth.E2ETests;

/// <summary>One berth server shared by the tests of a class (each test uses its own namespace).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public BerthProcess Server { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await BerthProcess.StartAsync().ConfigureAwait(false);
        Kubectl = new Kubectl(Server);
        // Bootstrap creates the default namespaces right after the server starts serving.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await Kubectl.RunAsync("get ns default").ConfigureAwait(false)).ExitCode == 0,
            because: "namespace default exists").ConfigureAwait(false);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync().ConfigureAwait(false);

    /// <summary>Creates a namespace for one test through apply (imperative create sends protobuf).</summary>
    public async Task<string> NewNamespaceAsync(string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await Kubectl.OkAsync("apply -f -", $"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{ns}\"}}}}").ConfigureAwait(false);
        return ns;
    }
}
