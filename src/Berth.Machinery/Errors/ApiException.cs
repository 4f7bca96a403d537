using k8s.Models;

namespace Berth.Machinery.Errors;

/// <summary>
/// An error that the HTTP layer turns into a Kubernetes <c>Status</c> with <see cref="Code"/>.
/// Build these through <see cref="ApiErrors"/>, never directly, so that messages match upstream.
/// Mirrors k8s.io/apimachinery/pkg/api/errors/errors.go (StatusError).
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, V1StatusDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }

    public string Reason { get; }

    public V1StatusDetails? Details { get; }

    /// <summary>Extra response headers, for example <c>Retry-After</c> on 429.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public V1Status ToStatus() => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Message = Message,
        Reason = Reason,
        Details = Details,
        Code = Code,
    };
}
