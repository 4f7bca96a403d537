using Berth.ApiServer.Streaming;
using Berth.Machinery.Errors;
using k8s.Models;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>
/// A hand-written <see cref="IPodStreamingBackend"/> that records what it was asked and acts out a script: logs write
/// <see cref="LogText"/>; exec accepts, runs <see cref="Exec"/> on the streams and returns its exit code; attach accepts and runs <see cref="Attach"/>.
/// </summary>
internal sealed class ScriptedBackend : IPodStreamingBackend
{
    public PodLogOptions? LastLogOptions { get; private set; }

    public PodExecOptions? LastExecOptions { get; private set; }

    public PodAttachOptions? LastAttachOptions { get; private set; }

    /// <summary>What attach does on the accepted streams (default: nothing, the stream ends at once).</summary>
    public Func<IExecStreams, CancellationToken, Task> Attach { get; set; } = (_, _) => Task.CompletedTask;

    public string LogText { get; set; } = "hello from the log\n";

    /// <summary>Thrown before accepting (validation failure), when set.</summary>
    public ApiException? RejectBeforeAccept { get; set; }

    public Func<IExecStreams, CancellationToken, Task<int>> Exec { get; set; } = (_, _) => Task.FromResult(0);

    public TaskCompletionSource ExecCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task StreamLogsAsync(V1Pod pod, PodLogOptions options, Stream output, CancellationToken cancellationToken)
    {
        LastLogOptions = options;
        await output.FlushAsync(cancellationToken);
        await output.WriteAsync(System.Text.Encoding.UTF8.GetBytes(LogText), cancellationToken);
    }

    public async Task<int> ExecAsync(V1Pod pod, PodExecOptions options, IExecStreams streams, CancellationToken cancellationToken)
    {
        LastExecOptions = options;
        if (RejectBeforeAccept is { } e)
        {
            throw e;
        }
        await streams.AcceptAsync(cancellationToken);
        using var registration = cancellationToken.Register(() => ExecCancelled.TrySetResult());
        return await Exec(streams, cancellationToken);
    }

    public async Task AttachAsync(V1Pod pod, PodAttachOptions options, IExecStreams streams, CancellationToken cancellationToken)
    {
        LastAttachOptions = options;
        if (RejectBeforeAccept is { } e)
        {
            throw e;
        }
        await streams.AcceptAsync(cancellationToken);
        await Attach(streams, cancellationToken);
    }
}
