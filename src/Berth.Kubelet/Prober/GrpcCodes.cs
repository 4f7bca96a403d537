namespace Berth.Kubelet.Prober;

/// <summary>gRPC status code names as grpc-go prints them. Mirrors google.golang.org/grpc/codes (code_string.go).</summary>
internal static class GrpcCodes
{
    private static readonly string[] Names =
    [
        "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
        "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
        "Internal", "Unavailable", "DataLoss", "Unauthenticated",
    ];

    /// <summary>The name of a numeric <c>grpc-status</c> value; <c>Code(n)</c> for unknown values.</summary>
    public static string Name(string status) =>
        int.TryParse(status, System.Globalization.CultureInfo.InvariantCulture, out var code) && code >= 0 && code < Names.Length
            ? Names[code]
            : $"Code({status})";
}
