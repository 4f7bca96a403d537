using k8s.Models;
using Berth.Machinery.Kinds;

namespace Berth.Machinery.Errors;

/// <summary>
/// Factories for every error the API returns. Messages are upstream's, verbatim
/// (k8s.io/apimachinery/pkg/api/errors/errors.go), because kubectl prints them as they come.
/// </summary>
public static class ApiErrors
{
    /// <summary><c>pods "x" not found</c>; <c>deployments.apps "x" not found</c>.</summary>
    public static ApiException NotFound(ResourceKind kind, string name) =>
        new(404, StatusReason.NotFound, $"{kind.GroupResource} \"{name}\" not found",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Resource });

    public static ApiException NotFound(string groupResource, string name) =>
        new(404, StatusReason.NotFound, $"{groupResource} \"{name}\" not found",
            new V1StatusDetails { Name = name, Kind = groupResource });

    /// <summary>
    /// 404 for a path no handler serves, with the real server's message and empty details (<c>"details":{}</c>, as
    /// upstream's NewGenericServerResponse writes: kubectl debug reads <c>details.name</c> of this 404 to tell a missing
    /// subresource from a missing pod, and dereferences <c>details</c> without a check).
    /// </summary>
    public static ApiException NotFoundPath() =>
        new(404, StatusReason.NotFound, "the server could not find the requested resource", new V1StatusDetails());

    public static ApiException AlreadyExists(ResourceKind kind, string name) =>
        new(409, StatusReason.AlreadyExists, $"{kind.GroupResource} \"{name}\" already exists",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Resource });

    /// <summary>The optimistic-concurrency conflict of an update with a stale resourceVersion.</summary>
    public static ApiException Conflict(ResourceKind kind, string name, string detail =
        "the object has been modified; please apply your changes to the latest version and try again") =>
        new(409, StatusReason.Conflict, $"Operation cannot be fulfilled on {kind.GroupResource} \"{name}\": {detail}",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Resource });

    /// <summary>
    /// The 409 of a server-side apply whose fields other managers own: reason Conflict, the causes only in details (no
    /// name or kind), as upstream's NewApplyConflict; kubectl prints the message and its own guidance.
    /// </summary>
    public static ApiException ApplyConflict(string message, IReadOnlyList<V1StatusCause> causes) =>
        new(409, StatusReason.Conflict, message, new V1StatusDetails { Causes = [.. causes] });

    /// <summary>
    /// 422 with causes. The message names the group-qualified kind (<c>Deployment.apps "x" is invalid: …</c>, as
    /// upstream's NewInvalid), which generator commands such as <c>kubectl create deployment</c> print as is; kubectl's
    /// manifest commands build <c>The Deployment "x" is invalid: field: msg</c> from the details instead.
    /// </summary>
    public static ApiException Invalid(ResourceKind kind, string name, IReadOnlyList<FieldError> errors)
    {
        var text = errors.Count == 1
            ? errors[0].ToString()
            : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new ApiException(422, StatusReason.Invalid, $"{kind.GroupKind} \"{name}\" is invalid: {text}",
            new V1StatusDetails
            {
                Name = name,
                Group = NullIfEmpty(kind.Group),
                Kind = kind.Kind,
                Causes = errors.Select(e => new V1StatusCause { Reason = e.Type, Message = e.Message, Field = e.Field }).ToList(),
            });
    }

    public static ApiException BadRequest(string message) => new(400, StatusReason.BadRequest, message);

    /// <summary>
    /// 422 for a well-formed request the server cannot apply, e.g. a JSON patch whose <c>test</c> fails or whose path is
    /// missing. Upstream answers these through NewGenericServerResponse(422) with the detail as an UnexpectedServerResponse
    /// cause; we also put the detail in the message so kubectl prints something useful.
    /// </summary>
    public static ApiException UnprocessableEntity(string message) =>
        new(422, StatusReason.Invalid, message,
            new V1StatusDetails { Causes = [new V1StatusCause { Reason = "UnexpectedServerResponse", Message = message }] });

    /// <summary>410 for a watch or list from a compacted resourceVersion.</summary>
    public static ApiException Expired(string message) => new(410, StatusReason.Expired, message);

    public static ApiException TooOldResourceVersion(long requested, long oldest) =>
        Expired($"too old resource version: {requested} ({oldest})");

    public static ApiException Unauthorized() => new(401, StatusReason.Unauthorized, "Unauthorized");

    public static ApiException Forbidden(string message) => new(403, StatusReason.Forbidden, message);

    /// <summary>
    /// <c>pods "x" is forbidden: reason</c> with the object in details, as upstream's NewForbidden; admission plugins
    /// name the object by its name, else its generateName, else <c>Unknown</c>.
    /// </summary>
    public static ApiException Forbidden(ResourceKind kind, string name, string reason) =>
        new(403, StatusReason.Forbidden, $"{kind.GroupResource} \"{name}\" is forbidden: {reason}",
            new V1StatusDetails { Name = name, Group = NullIfEmpty(kind.Group), Kind = kind.Resource });

    public static ApiException MethodNotSupported(string groupResource, string verb) =>
        new(405, StatusReason.MethodNotAllowed, $"{verb} is not supported on resources of kind \"{groupResource}\"");

    public static ApiException NotAcceptable(string message) => new(406, StatusReason.NotAcceptable, message);

    public static ApiException UnsupportedMediaType(string message) => new(415, StatusReason.UnsupportedMediaType, message);

    public static ApiException RequestEntityTooLarge(string message) => new(413, StatusReason.RequestEntityTooLarge, message);

    public static ApiException TooManyRequests(string message, int retryAfterSeconds) =>
        new(429, StatusReason.TooManyRequests, message, new V1StatusDetails { RetryAfterSeconds = retryAfterSeconds })
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };

    /// <summary>
    /// 429 without a retry hint (upstream NewTooManyRequests(message, 0): no <c>retryAfterSeconds</c>, no Retry-After
    /// header, so clients retry at their own pace instead of client-go retrying silently) carrying
    /// <paramref name="causes"/>, as the eviction subresource answers while a disruption budget forbids an eviction.
    /// </summary>
    public static ApiException TooManyRequests(string message, IReadOnlyList<V1StatusCause> causes) =>
        new(429, StatusReason.TooManyRequests, message, new V1StatusDetails { Causes = [.. causes] });

    /// <summary>A server fault. Only for bugs: bad input must never produce this.</summary>
    public static ApiException Internal(string message) => new(500, StatusReason.InternalError, message);

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
