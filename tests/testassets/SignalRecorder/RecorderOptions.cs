using System.Globalization;

namespace SignalRecorder;

/// <summary>
/// Behaviour of one recorder process, from arguments and environment (env wins only where no argument exists):
/// <list type="bullet">
/// <item><c>RECORD_FILE</c> or the first argument: the file that gets one <c>&lt;unix-ms&gt; &lt;EVENT&gt; [detail]</c> line per event.</item>
/// <item><c>IGNORE_TERM=1</c>: SIGTERM is recorded and otherwise ignored (only SIGKILL ends the process, exit 137).</item>
/// <item><c>EXIT_AFTER_TERM_MS=N</c>: after SIGTERM, exit N ms later (default 0) with <c>EXIT_CODE</c> (default 0).</item>
/// <item><c>HTTP_PORT=P</c>: serve HTTP on <c>$POD_IP</c> (default 127.0.0.1) port P, see <see cref="HttpResponder"/>.</item>
/// <item><c>NOT_READY_AFTER_TERM=1</c>: <c>/ready</c> answers 503 once SIGTERM arrived.</item>
/// </list>
/// </summary>
internal sealed record RecorderOptions(string RecordFile, bool IgnoreTerm, int ExitAfterTermMs, int ExitCode, int HttpPort,
    string Address, bool NotReadyAfterTerm)
{
    public static RecorderOptions Parse(string[] args)
    {
        var file = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("RECORD_FILE");
        if (string.IsNullOrEmpty(file))
        {
            throw new ArgumentException("usage: SignalRecorder <record-file> (or RECORD_FILE)");
        }
        return new RecorderOptions(file, Flag("IGNORE_TERM"), Number("EXIT_AFTER_TERM_MS"), Number("EXIT_CODE"),
            Number("HTTP_PORT"), Environment.GetEnvironmentVariable("POD_IP") is { Length: > 0 } ip ? ip : "127.0.0.1",
            Flag("NOT_READY_AFTER_TERM"));
    }

    private static bool Flag(string name) => Environment.GetEnvironmentVariable(name) is "1" or "true";

    private static int Number(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
