using Berth.Machinery.Errors;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Streaming;

/// <summary>
/// Builds <see cref="PodLogOptions"/> from the pods/log query: validation as upstream's ValidatePodLogOptions (422
/// <c>PodLogOptions "x" is invalid</c>), the container defaulted/validated against the spec, and sinceSeconds turned
/// into an absolute time on the server's clock. Mirrors kubernetes/kubernetes pkg/registry/core/pod/rest/log.go.
/// </summary>
internal static class LogOptionsParser
{
    public static PodLogOptions Parse(IQueryCollection query, V1Pod pod, TimeProvider time)
    {
        var name = pod.Metadata?.Name ?? "";
        var tail = StreamingQuery.Int64(query, "tailLines");
        var limit = StreamingQuery.Int64(query, "limitBytes");
        var sinceSeconds = StreamingQuery.Int64(query, "sinceSeconds");
        var sinceTime = StreamingQuery.Time(query, "sinceTime");
        var errors = new List<FieldError>();
        if (tail < 0)
        {
            errors.Add(FieldError.Invalid("tailLines", tail, "must be greater than or equal to 0"));
        }
        if (limit < 1)
        {
            errors.Add(FieldError.Invalid("limitBytes", limit, "must be greater than 0"));
        }
        if (sinceSeconds is not null && sinceTime is not null)
        {
            errors.Add(FieldError.Forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        }
        else if (sinceSeconds < 1)
        {
            errors.Add(FieldError.Invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }
        if (errors.Count > 0)
        {
            throw StreamingErrors.InvalidLogOptions(name, errors);
        }
        return new PodLogOptions(
            StreamContainerSelector.ForLogs(pod, StreamingQuery.String(query, "container")),
            Follow: StreamingQuery.Bool(query, "follow"),
            Previous: StreamingQuery.Bool(query, "previous"),
            SinceTime: sinceSeconds is { } s ? time.GetUtcNow().AddSeconds(-s) : sinceTime,
            Timestamps: StreamingQuery.Bool(query, "timestamps"),
            TailLines: tail,
            LimitBytes: limit);
    }
}
