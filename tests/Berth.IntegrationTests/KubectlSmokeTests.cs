using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Berth.IntegrationTests;

/// <summary>
/// The real kubectl (the dispatcher at /usr/bin/kubectl) against the in-process server. Needs only version and
/// discovery. A machine without kubectl fails these tests rather than skipping them silently.
/// </summary>
public sealed class KubectlSmokeTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>, IDisposable
{
    private readonly string cacheDir = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    public void Dispose() => Directory.Delete(cacheDir, recursive: true);

    [Fact]
    public async Task Version_Json_ShowsServerMinor32()
    {
        var (exit, stdout, stderr) = await KubectlAsync("version", "-o", "json");
        Assert.True(exit == 0, stderr);
        var server = JsonNode.Parse(stdout)!["serverVersion"]!;
        Assert.Equal("32", (string?)server["minor"]);
        Assert.Equal("v1.32.0-berth", (string?)server["gitVersion"]);
    }

    [Fact]
    public async Task ApiResources_ListsKindsWithShortNames()
    {
        var (exit, stdout, stderr) = await KubectlAsync("api-resources");
        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Two "pods" rows, as on a cluster with metrics-server: core v1 and the resource metrics API.
        Assert.Matches(@"^pods\s+po\s+v1\s+true\s+Pod\s*$", lines.Single(l => l.StartsWith("pods ", StringComparison.Ordinal) && l.EndsWith(" Pod", StringComparison.Ordinal)));
        Assert.Matches(@"^pods\s+metrics.k8s.io/v1beta1\s+true\s+PodMetrics\s*$", lines.Single(l => l.StartsWith("pods ", StringComparison.Ordinal) && l.Contains("metrics", StringComparison.Ordinal)));
        Assert.Matches(@"^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$", lines.Single(l => l.StartsWith("deployments ", StringComparison.Ordinal)));
        Assert.Matches(@"^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$", lines.Single(l => l.StartsWith("namespaces ", StringComparison.Ordinal)));
        Assert.DoesNotContain("couldn't get", stderr);
    }

    [Fact]
    public async Task ApiResources_WrongToken_IsUnauthorized()
    {
        var (exit, _, stderr) = await KubectlAsync("api-resources", "--token", "wrong");
        Assert.NotEqual(0, exit);
        Assert.Contains("You must be logged in to the server", stderr);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> KubectlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + fixture.Host.KubeconfigPath);
        psi.ArgumentList.Add("--cache-dir=" + cacheDir);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        psi.Environment["HOME"] = cacheDir;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
