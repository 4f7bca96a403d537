using System.Runtime.InteropServices;
using SignalRecorder;

// A container process for termination tests: records signals (TERM, INT, HUP, QUIT, USR1, USR2) and HTTP requests
// with millisecond timestamps, then behaves as RecorderOptions says. Writes "READY <pid>" once everything is set up.
var options = RecorderOptions.Parse(args);
var time = TimeProvider.System;
var log = new EventLog(options.RecordFile, time);
var terminating = 0;
var registrations = new List<PosixSignalRegistration>();

void OnTerm(PosixSignalContext context)
{
    context.Cancel = true;
    log.Write("SIGTERM");
    if (options.IgnoreTerm || Interlocked.Exchange(ref terminating, 1) == 1)
    {
        Volatile.Write(ref terminating, 1);
        return;
    }
    _ = Task.Run(async () =>
    {
        await Task.Delay(TimeSpan.FromMilliseconds(options.ExitAfterTermMs), time).ConfigureAwait(false);
        log.Write("EXIT", options.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Environment.Exit(options.ExitCode);
    });
}

registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerm));
foreach (var (signal, name) in new[]
{
    (PosixSignal.SIGINT, "SIGINT"), (PosixSignal.SIGHUP, "SIGHUP"), (PosixSignal.SIGQUIT, "SIGQUIT"),
    ((PosixSignal)10, "SIGUSR1"), ((PosixSignal)12, "SIGUSR2"),
})
{
    registrations.Add(PosixSignalRegistration.Create(signal, context =>
    {
        context.Cancel = true;
        log.Write(name);
    }));
}

Task serving = Task.CompletedTask;
if (options.HttpPort > 0)
{
    var listener = HttpResponder.Listen(options);
    serving = new HttpResponder(options, log, () => Volatile.Read(ref terminating) == 1, time).RunAsync(listener);
}
log.Write("READY", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
await Task.WhenAll(serving, Task.Delay(Timeout.InfiniteTimeSpan, time)).ConfigureAwait(false);
GC.KeepAlive(registrations);
