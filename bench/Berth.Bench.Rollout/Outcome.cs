namespace Berth.Bench.Rollout;

/// <summary>How one request through the Service ended; every kind but <see cref="Ok"/> is a failed request.</summary>
internal enum Outcome
{
    /// <summary>A 2xx status and the whole body (Content-Length bytes, or up to the close when none was sent).</summary>
    Ok,

    /// <summary>connect() refused: no listener on the ClusterIP (the Service had no usable endpoint).</summary>
    Refused,

    /// <summary>Reset before any response byte arrived (the proxy rejected the connection, or the pod died before answering).</summary>
    ResetBeforeResponse,

    /// <summary>Reset after part of the response arrived.</summary>
    ResetDuringResponse,

    /// <summary>Closed cleanly with no response byte at all.</summary>
    ClosedBeforeResponse,

    /// <summary>Closed cleanly before the whole response (status line, headers, Content-Length bytes) arrived.</summary>
    ClosedDuringResponse,

    /// <summary>No complete response within the request timeout (connect included).</summary>
    Timeout,

    /// <summary>A complete response whose status is not 2xx.</summary>
    Non2xx,

    /// <summary>Any other socket error.</summary>
    OtherSocketError,
}
