using System.Diagnostics;

namespace Berth.Bench.Rollout;

/// <summary>
/// The real <c>kubectl</c> against one <see cref="BerthServer"/> (its written kubeconfig, a private discovery cache
/// and HOME). Every run is bounded; a non-zero exit of <see cref="OkAsync"/> stops the bench.
/// </summary>
internal sealed class Kubectl(string kubeconfig, string cacheDir)
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, long StartedAt, long EndedAt)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Runs kubectl with <paramref name="args"/> (stdin written and closed when given); kills it after <paramref name="timeout"/>.</summary>
    public async Task<Result> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + kubeconfig);
        psi.ArgumentList.Add("--cache-dir=" + cacheDir);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["HOME"] = cacheDir;
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} timed out; stdout so far: {await stdout}");
        }
        var ended = Stopwatch.GetTimestamp();
        return new Result(process.ExitCode, await stdout, await stderr, started, ended);
    }

    /// <summary>Runs kubectl and throws unless it exits 0; returns the result (stdout and timing).</summary>
    public async Task<Result> OkAsync(string args, string? stdin = null, TimeSpan? timeout = null)
    {
        var result = await RunAsync(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), stdin, timeout);
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"kubectl {args} failed: {result}");
    }
}
