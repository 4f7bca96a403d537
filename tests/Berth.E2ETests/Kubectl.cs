using System.Diagnostics;
using System.Text;

namespace Berth.E2ETests;

/// <summary>Runs the real <c>kubectl</c> against a <see cref="BerthProcess"/>, with a private discovery cache.</summary>
public sealed class Kubectl(BerthProcess server)
{
    // Inside the server's data dir, so that it goes when the fixture deletes that.
    private readonly string _cacheDir = Directory.CreateDirectory(Path.Combine(server.DataDir, "kubectl-cache-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Runs kubectl to completion (bounded wait). <paramref name="stdin"/> is written and closed when given.</summary>
    public async Task<Result> RunAsync(string args, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + server.KubeconfigPath);
        psi.ArgumentList.Add("--cache-dir=" + _cacheDir);
        foreach (var a in SplitArgs(args))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HOME"] = _cacheDir;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await p.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            p.StandardInput.Close();
        }
        try
        {
            await p.WaitForExitAsync().DefaultTimeout(timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {args} timed out; stdout so far: {await stdout.ConfigureAwait(false)}");
        }
        return new Result(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs and asserts exit code 0.</summary>
    public async Task<string> OkAsync(string args, string? stdin = null)
    {
        var r = await RunAsync(args, stdin).ConfigureAwait(false);
        Assert.True(r.ExitCode == 0, $"kubectl {args} failed: {r}");
        return r.Stdout;
    }

    /// <summary>
    /// Starts a long-running kubectl (e.g. <c>get -w</c>) whose output lines are collected; <paramref name="environment"/>
    /// adds variables (e.g. <c>KUBECTL_PORT_FORWARD_WEBSOCKETS=false</c>).
    /// </summary>
    public LongRunning Start(string args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + server.KubeconfigPath);
        psi.ArgumentList.Add("--cache-dir=" + _cacheDir);
        foreach (var a in SplitArgs(args))
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HOME"] = _cacheDir;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        return new LongRunning(Process.Start(psi)!);
    }

    /// <summary>Splits on spaces, keeping single-quoted parts together (no shell involved).</summary>
    internal static List<string> SplitArgs(string args)
    {
        var result = new List<string>();
        var cur = new StringBuilder();
        var quoted = false;
        foreach (var c in args)
        {
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (cur.Length > 0)
                {
                    result.Add(cur.ToString());
                    cur.Clear();
                }
            }
            else
            {
                cur.Append(c);
            }
        }
        if (cur.Length > 0)
        {
            result.Add(cur.ToString());
        }
        return result;
    }

    /// <summary>A kubectl process that keeps running; lines of stdout and of stderr are collected as they come.</summary>
    public sealed class LongRunning : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly List<string> _errorLines = [];

        internal LongRunning(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_lines)
                    {
                        _lines.Add(e.Data);
                    }
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    lock (_errorLines)
                    {
                        _errorLines.Add(e.Data);
                    }
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public IReadOnlyList<string> ErrorLines
        {
            get
            {
                lock (_errorLines)
                {
                    return _errorLines.ToList();
                }
            }
        }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToList();
                }
            }
        }

        public bool HasExited => _process.HasExited;

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().DefaultTimeout().ConfigureAwait(false);
            }
            _process.Dispose();
        }
    }
}
