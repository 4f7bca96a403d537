namespace Berth.Server.Hosting;

/// <summary>The steps of <see cref="BerthServer"/> start-up, in order, whose durations are logged.</summary>
internal enum StartupStage
{
    /// <summary>Data directory prepared and bearer token loaded or created.</summary>
    DataDirectory,

    /// <summary>Service container and middleware pipeline built (while the TLS material is prepared in parallel).</summary>
    HostBuilt,

    /// <summary>Waited for the CA and serving certificate (loaded or generated, and a warm-up handshake) after the host was built.</summary>
    Certificates,

    /// <summary>Store opened (SQLite schema and index loaded, or an empty memory store).</summary>
    StoreOpen,

    /// <summary>Every hosted service started and Kestrel listening (bootstrap complete, /readyz passes).</summary>
    HostedServicesStarted,

    /// <summary>Kubeconfig written; the server is returned to the caller.</summary>
    KubeconfigWritten,
}

/// <summary>
/// Wall-clock durations of the start-up stages, from the injected <see cref="TimeProvider"/>'s timestamps, logged once at
/// Debug (enable with <c>Logging__LogLevel__Berth.Server.Hosting=Debug</c>). Used only by the one thread that starts
/// the server; not thread-safe.
/// </summary>
internal sealed partial class StartupStages(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private readonly List<(StartupStage Stage, TimeSpan Elapsed)> _marks = [];
    private long _last = time.GetTimestamp();

    /// <summary>Records that <paramref name="stage"/> just finished.</summary>
    public void Mark(StartupStage stage)
    {
        var now = time.GetTimestamp();
        _marks.Add((stage, time.GetElapsedTime(_last, now)));
        _last = now;
    }

    /// <summary>Logs every recorded stage and the total since construction.</summary>
    public void Log(ILogger logger)
    {
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }
        var stages = string.Join(", ", _marks.Select(m => $"{m.Stage} {m.Elapsed.TotalMilliseconds:F0} ms"));
        LogStages(logger, time.GetElapsedTime(_started, _last).TotalMilliseconds, stages,
            System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds);
    }

    [LoggerMessage(EventId = 90, Level = LogLevel.Debug,
        Message = "start-up took {TotalMs:F0} ms: {Stages}; {JitMethods} methods JIT-compiled in {JitMs:F0} ms")]
    private static partial void LogStages(ILogger logger, double totalMs, string stages, long jitMethods, double jitMs);
}
