namespace Berth.ApiServer.Streaming;

/// <summary>
/// What <c>GET …/pods/{name}/log</c> asks for, already validated and with the container resolved. Plain data, so a
/// remote node agent can receive it as query parameters. Mirrors kubernetes/api core/v1 types.go (PodLogOptions).
/// </summary>
/// <param name="Container">The container whose log to read; never empty (the API layer defaults it).</param>
/// <param name="Follow">Keep streaming new output until the container stops running.</param>
/// <param name="Previous">Read the log of the previous, terminated instance of the container.</param>
/// <param name="SinceTime">Only entries at or after this instant (sinceSeconds is converted to this by the API layer).</param>
/// <param name="Timestamps">Prefix every entry with its RFC 3339 timestamp (nine fractional digits) and a space.</param>
/// <param name="TailLines">Only the last N entries; null means all.</param>
/// <param name="LimitBytes">Stop after this many bytes of output; null means no limit.</param>
public sealed record PodLogOptions(
    string Container,
    bool Follow = false,
    bool Previous = false,
    DateTimeOffset? SinceTime = null,
    bool Timestamps = false,
    long? TailLines = null,
    long? LimitBytes = null);
