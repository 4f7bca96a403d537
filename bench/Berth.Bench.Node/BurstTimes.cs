namespace Berth.Bench.Node;

/// <summary>
/// What the bench saw of each pod of a burst, as <see cref="TimeProvider.GetTimestamp"/> values (index = pod):
/// POST sent, POST answered, first watch event with <c>spec.nodeName</c> (0 if none was seen before Running), first
/// watch event with phase Running.
/// </summary>
internal sealed record BurstTimes(IReadOnlyList<string> Names, long[] Sent, long[] Created, long[] Bound, long[] Running);
