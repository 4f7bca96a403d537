namespace Berth.Client.Informers;

/// <summary>How one watch of a <see cref="Reflector"/> ended, which decides what it does next.</summary>
internal enum WatchOutcome
{
    /// <summary>The server closed the stream normally: watch again from the last resourceVersion, at once.</summary>
    Closed,

    /// <summary>410 Expired/Gone, at the start or as an ERROR event: the resourceVersion is compacted, relist.</summary>
    Expired,

    /// <summary>Any other error, or a very short empty watch: back off, then watch again from the last resourceVersion.</summary>
    Failed,
}
