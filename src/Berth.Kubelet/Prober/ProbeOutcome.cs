namespace Berth.Kubelet.Prober;

/// <summary>Raw result of one probe run. Mirrors kubernetes/kubernetes pkg/probe/probe.go (Result).</summary>
public enum ProbeOutcomeKind
{
    Success,

    /// <summary>Success with a note (e.g. a redirect to another host); recorded as a ProbeWarning event.</summary>
    Warning,

    Failure,

    /// <summary>The probe could not be run; it is retried and then counts as a failure.</summary>
    Unknown,
}

/// <summary>A probe run's outcome and its output (shown in the <c>Unhealthy</c> event on failure).</summary>
public sealed record ProbeOutcome(ProbeOutcomeKind Kind, string Output)
{
    public static ProbeOutcome Success(string output = "") => new(ProbeOutcomeKind.Success, output);

    public static ProbeOutcome Failure(string output) => new(ProbeOutcomeKind.Failure, output);
}
