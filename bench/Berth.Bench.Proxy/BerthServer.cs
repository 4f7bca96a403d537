using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Bench.Proxy;

/// <summary>
/// A real <c>berth server</c> child process (memory store, free port, cluster DNS off, scratch data directory) and
/// an HTTPS client that trusts its CA and sends its token. Disposal kills the server and deletes the directory.
/// </summary>
internal sealed partial class BerthServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The ranges of every bench server: in <c>ebpf</c> (the server's default) its program rewrites connects on the
    /// machine to the ClusterIPs it holds, so its Services and pods get ranges no other server or test on the machine
    /// uses (the defaults' ClusterIPs and pod addresses may be taken by another server); <c>userspace</c> gets the same
    /// ranges, so the two modes are compared under equal conditions.
    /// </summary>
    private static readonly string[] IsolatedRanges = ["--service-cluster-ip-range", "127.11.0.0/24", "--cluster-cidr", "127.11.128.0/17"];

    private BerthServer(string binary, string dataDir, string? proxyEngine, string? proxyMode)
    {
        DataDir = dataDir;
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (proxyEngine is not null)
        {
            psi.Environment[Berth.Proxy.ForwardingModes.EnvironmentVariable] = proxyEngine;
        }
        string[] args = ["server", "--data-dir", dataDir, "--port", "0", "--store", "memory", "--dns-port", "0", .. IsolatedRanges, .. (proxyMode is null ? Array.Empty<string>() : ["--proxy-mode", proxyMode])];
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _serving.TrySetException(new InvalidOperationException("berth exited early"));
    }

    public string DataDir { get; }

    public HttpClient Http { get; private set; } = null!;

    /// <param name="proxyEngine">The proxy's forwarding engine (<c>async</c>, <c>event-loop</c>), or null for the server's default.</param>
    /// <param name="proxyMode">The server's <c>--proxy-mode</c>, or null for its default (ebpf where the machine allows it).</param>
    public static async Task<BerthServer> StartAsync(string binary, string? proxyEngine = null, string? proxyMode = null)
    {
        var server = new BerthServer(binary, Directory.CreateTempSubdirectory("berth-bench-proxy-").FullName, proxyEngine, proxyMode);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var baseUri = await server._serving.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && server.Trusted(cert) },
        };
        server.Http = new HttpClient(handler) { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        server.Http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(server.DataDir, "token")).Trim());
        return server;
    }

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/>; throws unless 2xx.</summary>
    public async Task PostAsync(string path, string json)
    {
        using var response = await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task<string> GetStringAsync(string path) => await Http.GetStringAsync(path);

    private bool Trusted(X509Certificate cert)
    {
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(DataDir, "ca.crt")));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(cert);
        return chain.Build(leaf);
    }

    private void OnLine(string? line)
    {
        if (line is not null && ServingLine().Match(line) is { Success: true } m)
        {
            _serving.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(DataDir, recursive: true);
    }

    [GeneratedRegex(@"serving on (https://\S+)")]
    private static partial Regex ServingLine();
}
