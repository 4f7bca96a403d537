using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Bench.Proxy;

/// <summary>
/// HAProxy in TCP mode as a reference L4 proxy for the overhead bench: the same backend, the same client, measured in
/// the same interleaved slices as Berth's proxies, so its ratio tells how much of the overhead any userspace L4 proxy
/// pays on this machine (a second TCP connection per client connection, two extra copies, the proxy's share of the
/// cores). Used only when <c>haproxy</c> is on the PATH (<c>apt-get install haproxy</c>); started in the foreground
/// with a generated configuration, stopped with SIGTERM when disposed.
/// </summary>
internal sealed class ReferenceProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _config;

    private ReferenceProxy(Process process, string config) => (_process, _config) = (process, config);

    /// <summary>The haproxy binary on the PATH, or null when it is not installed.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin").Split(':').Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, "haproxy")).FirstOrDefault(File.Exists);

    /// <summary>The version line of <paramref name="binary"/> ("HAProxy version 2.6.12-…").</summary>
    public static string Version(string binary)
    {
        using var process = Process.Start(new ProcessStartInfo(binary, "-v") { RedirectStandardOutput = true, UseShellExecute = false })!;
        var line = process.StandardOutput.ReadLine() ?? "HAProxy";
        process.WaitForExit(5_000);
        return string.Join(' ', line.Split(' ').Take(3));
    }

    /// <summary>Starts HAProxy listening on <paramref name="listen"/> with <paramref name="threads"/> threads, forwarding to <paramref name="backend"/>; returns once it accepts connections.</summary>
    public static async Task<ReferenceProxy> StartAsync(string binary, IPEndPoint listen, IPEndPoint backend, int threads)
    {
        var config = Path.Combine(Path.GetTempPath(), $"berth-bench-haproxy-{Environment.ProcessId}-{listen.Address}.cfg");
        await File.WriteAllTextAsync(config, $"""
            global
                nbthread {threads}
                maxconn 4000
            defaults
                mode tcp
                timeout connect 5s
                timeout client 60s
                timeout server 60s
            frontend bench
                bind {listen}
                default_backend web
            backend web
                server web-1 {backend}
            """ + "\n");
        var process = Process.Start(new ProcessStartInfo(binary) { ArgumentList = { "-db", "-f", config }, UseShellExecute = false, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        var proxy = new ReferenceProxy(process, config);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(listen);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(20);
            }
            catch (SocketException) when (process.HasExited)
            {
                await proxy.DisposeAsync();
                throw new InvalidOperationException($"haproxy exited: {await errors}");
            }
            catch
            {
                await proxy.DisposeAsync();
                throw;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        _process.Dispose();
        File.Delete(_config);
    }
}
