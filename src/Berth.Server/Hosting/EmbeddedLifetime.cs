namespace Berth.Server.Hosting;

/// <summary>
/// The host lifetime of an in-process (test) server: it registers no signal handlers, so several servers can run
/// in one process and the test runner keeps Ctrl-C. The owner stops the server through <see cref="RunningServer"/>.
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
