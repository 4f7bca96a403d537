using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.Client.Remote;

/// <summary>
/// Turns a failed reply back into the <see cref="ApiException"/> the in-process API would have thrown: a meta/v1
/// <c>Status</c> body keeps its code, reason, message and details (causes, retryAfterSeconds); any other body gets
/// the reason that belongs to the HTTP code and the body text as its message. Mirrors k8s.io/client-go rest
/// (Request.transformResponse, newUnstructuredResponseError) and apimachinery errors.NewGenericServerResponse. Pure.
/// </summary>
internal static class RemoteStatus
{
    /// <summary>The exception for a non-2xx reply whose body is <paramref name="body"/>.</summary>
    public static ApiException ToException(HttpStatusCode code, byte[] body, HttpResponseHeaders? headers)
    {
        var status = TryParseStatus(body);
        var error = status is not null
            ? FromStatus(status, (int)code)
            : new ApiException((int)code, ReasonFor((int)code), GenericMessage((int)code, body));
        if (headers?.RetryAfter?.Delta is { } retry)
        {
            return new ApiException(error.Code, error.Reason, error.Message, error.Details)
            {
                Headers = new Dictionary<string, string> { ["Retry-After"] = ((long)retry.TotalSeconds).ToString(CultureInfo.InvariantCulture) },
            };
        }
        return error;
    }

    /// <summary>The exception a Status object (a reply body, or the object of a watch ERROR event) describes.</summary>
    public static ApiException FromStatus(JsonObject status, int fallbackCode = 500)
    {
        var code = (int)(status.GetLong("code") ?? fallbackCode);
        var reason = status.GetString("reason") is { Length: > 0 } r ? r : ReasonFor(code);
        return new ApiException(code, reason, status.GetString("message") ?? "", Details(status.GetObject("details")));
    }

    private static JsonObject? TryParseStatus(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(body) is JsonObject obj && obj.GetString("kind") == "Status" ? obj : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static V1StatusDetails? Details(JsonObject? details)
    {
        if (details is null)
        {
            return null;
        }
        var causes = details.GetArray("causes")?.OfType<JsonObject>()
            .Select(c => new V1StatusCause { Reason = c.GetString("reason"), Message = c.GetString("message"), Field = c.GetString("field") })
            .ToList();
        return new V1StatusDetails
        {
            Name = details.GetString("name"),
            Group = details.GetString("group"),
            Kind = details.GetString("kind"),
            Uid = details.GetString("uid"),
            Causes = causes is { Count: > 0 } ? causes : null,
            RetryAfterSeconds = details.GetLong("retryAfterSeconds") is { } s ? (int)s : null,
        };
    }

    private static string GenericMessage(int code, byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 1024))).Trim();
        return text.Length > 0
            ? $"the server responded with the status code {code} but did not return more information: {text}"
            : $"the server responded with the status code {code} but did not return more information";
    }

    /// <summary>The StatusReason for an HTTP code (apimachinery NewGenericServerResponse).</summary>
    public static string ReasonFor(int code) => code switch
    {
        400 => StatusReason.BadRequest,
        401 => StatusReason.Unauthorized,
        403 => StatusReason.Forbidden,
        404 => StatusReason.NotFound,
        405 => StatusReason.MethodNotAllowed,
        406 => StatusReason.NotAcceptable,
        409 => StatusReason.Conflict,
        410 => StatusReason.Expired,
        413 => StatusReason.RequestEntityTooLarge,
        415 => StatusReason.UnsupportedMediaType,
        422 => StatusReason.Invalid,
        429 => StatusReason.TooManyRequests,
        503 => StatusReason.ServiceUnavailable,
        504 => StatusReason.Timeout,
        _ => StatusReason.InternalError,
    };
}
