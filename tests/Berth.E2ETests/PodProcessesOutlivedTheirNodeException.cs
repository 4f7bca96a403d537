namespace Berth.E2ETests;

/// <summary>
/// The assembly cleanup failure of <see cref="PodLeakCheck"/>: the VSTest console shows only this type's name, so the
/// name says what happened; the message (also sent as an xunit diagnostic message) lists the processes and data dirs.
/// </summary>
public sealed class PodProcessesOutlivedTheirNodeException(string message) : Exception(message);
