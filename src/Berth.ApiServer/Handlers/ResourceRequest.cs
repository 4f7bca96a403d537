using Berth.ApiServer.Http;
using Berth.ApiServer.Routing;
using Berth.Registry;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Handlers;

/// <summary>One parsed resource request and the services its handler needs. Lives for one request.</summary>
internal sealed record ResourceRequest(HttpContext Context, RequestInfo Info, IRestStorage Api, TimeProvider Time)
{
    public HttpRequest Request => Context.Request;

    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The negotiated response format (JSON or Table); computed on first use, 406 when nothing fits.</summary>
    public OutputFormat Format => _format ??= ContentNegotiation.Negotiate(Request);

    private OutputFormat? _format;

    /// <summary>The write options of the query, with RBAC escalation prevention for RBAC writes by non-masters.</summary>
    public WriteOptions WriteOptions() => Auth.RbacEscalationCheck.Guard(QueryParameters.Write(Request), Info.Kind, Context);
}
