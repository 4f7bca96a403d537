using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Berth.Bench.Api;

namespace Berth.Bench.Rollout;

/// <summary>
/// A real <c>berth server</c> child process: default store (SQLite), free API port, cluster DNS off, and pod and
/// Service ranges of its own (127.93.x.0/22, 127.97.x.0/24) so that servers other sessions run on this machine's
/// loopback never contend for the same addresses. Every output line is kept with its arrival time (for the failure
/// timeline). <see cref="Http"/> trusts only the server's CA and sends its token. Disposal sends SIGTERM (bounded
/// wait, then kill) and deletes the scratch directory.
/// </summary>
internal sealed partial class BerthServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(long At, string Line)> _lines = [];
    private Uri? _baseUri;

    private BerthServer(string binary, string dataDir)
    {
        DataDir = dataDir;
        var slot = Random.Shared.Next(0, 64);
        var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "server", "--data-dir", dataDir, "--port", "0", "--dns-port", "0",
            "--cluster-cidr", $"127.93.{slot * 4}.0/22", "--service-cluster-ip-range", $"127.97.{slot}.0/24",
        })
        {
            psi.ArgumentList.Add(arg);
        }
        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Exited += (_, _) => _serving.TrySetException(new InvalidOperationException("berth exited early:\n" + string.Join('\n', Lines().Select(l => l.Line))));
    }

    public string DataDir { get; }

    public string KubeconfigPath => Path.Combine(DataDir, "kubeconfig");

    public HttpClient Http { get; private set; } = null!;

    /// <summary>Spawns the server and waits (at most 90 s) for its <c>serving on</c> line.</summary>
    public static async Task<BerthServer> StartAsync(string binary, TimeProvider time)
    {
        var server = new BerthServer(binary, Directory.CreateTempSubdirectory("berth-bench-rollout-").FullName);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var baseUri = await server._serving.Task.WaitAsync(TimeSpan.FromSeconds(90), time);
        server._baseUri = baseUri;
        server.Http = server.CreateHttp(TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>A new client of the API (own connections) with the given per-request timeout; the caller disposes it.</summary>
    public HttpClient CreateHttp(TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && Trusted(cert) },
        };
        var http = new HttpClient(handler) { BaseAddress = _baseUri, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(Path.Combine(DataDir, "token")).Trim());
        return http;
    }

    /// <summary>The output lines so far with their <see cref="Stopwatch"/> arrival timestamps. Thread-safe (copy).</summary>
    public IReadOnlyList<(long At, string Line)> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

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
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Add((Stopwatch.GetTimestamp(), line));
        }
        if (ServingLine().Match(line) is { Success: true } m)
        {
            _serving.TrySetResult(new Uri(m.Groups[1].Value));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (!_process.HasExited)
        {
            Libc.Kill(_process.Id, Libc.SigTerm);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        Directory.Delete(DataDir, recursive: true);
    }

    [GeneratedRegex(@"serving on (https://\S+)")]
    private static partial Regex ServingLine();
}
