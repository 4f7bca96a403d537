namespace Berth.Testing.Fakes;

/// <summary>
/// How a <see cref="FakeContainerRuntime"/> container acts. <see cref="ExitAfter"/>: exits by itself that long after
/// start with <see cref="ExitCode"/>. <see cref="OnStopSignal"/>: exits that long after the stop signal with that
/// code (null: ignores the signal and dies only by the SIGKILL at the deadline, exit 137). <see cref="Exec"/> answers
/// ExecSync calls (probes and hooks). <see cref="StartFailure"/> makes StartContainer fail with that message.
/// </summary>
public sealed record FakeContainerBehavior
{
    public TimeSpan? ExitAfter { get; init; }

    public int ExitCode { get; init; }

    public (TimeSpan Delay, int ExitCode)? OnStopSignal { get; init; } = (TimeSpan.Zero, 143);

    public Func<IReadOnlyList<string>, FakeExecResult> Exec { get; init; } = _ => new FakeExecResult(TimeSpan.Zero, 0, "");

    public string? StartFailure { get; init; }
}

/// <summary>An exec that takes <paramref name="Duration"/> of fake time and ends with <paramref name="ExitCode"/>.</summary>
public sealed record FakeExecResult(TimeSpan Duration, int ExitCode, string Output);

/// <summary>One thing the fake runtime did, at a fake time: Created, Started, StopSignal, Killed, Exited, ExecStarted, ExecFinished, Removed.</summary>
public sealed record FakeRuntimeRecord(DateTimeOffset Time, string Kind, string PodUid, string Container, string ContainerId, string Detail);
