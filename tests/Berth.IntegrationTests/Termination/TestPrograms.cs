namespace Berth.IntegrationTests.Termination;

/// <summary>
/// Command lines of the container programs the termination tests run: the .NET signal recorder
/// (tests/testassets/SignalRecorder, built by this project's reference) and the shell recorders
/// (tests/testassets/process/*.sh, copied next to the tests).
/// </summary>
internal static class TestPrograms
{
    /// <summary><c>dotnet SignalRecorder.dll &lt;file&gt;</c>; its behaviour comes from the container's env (see its RecorderOptions).</summary>
    public static string[] Recorder(string recordFile) => [DotnetHost(), RecorderAssembly(), recordFile];

    /// <summary><c>/bin/sh &lt;asset&gt; args…</c> for a script of tests/testassets/process.</summary>
    public static string[] Script(string name, params string[] args) =>
        ["/bin/sh", Path.Combine(AppContext.BaseDirectory, "testassets", "process", name), .. args];

    /// <summary><c>/bin/sh -c &lt;script&gt;</c>.</summary>
    public static string[] Shell(string script) => ["/bin/sh", "-c", script];

    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "/usr/share/dotnet/dotnet";
    }

    /// <summary>tests/testassets/SignalRecorder/bin/{Configuration}/{tfm}/SignalRecorder.dll.</summary>
    private static string RecorderAssembly()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var testsDir = baseDir.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(testsDir, "testassets", "SignalRecorder", "bin", baseDir.Parent.Name, baseDir.Name, "SignalRecorder.dll");
        Assert.True(File.Exists(dll), $"signal recorder not built at {dll}");
        return dll;
    }
}
