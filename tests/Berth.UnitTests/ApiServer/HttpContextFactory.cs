using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Berth.UnitTests.ApiServer;

/// <summary>Builds a <see cref="DefaultHttpContext"/> with a readable response body for handler tests.</summary>
internal static class HttpContextFactory
{
    public static DefaultHttpContext Create(string path, string? accept = null, string? authorization = null, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }
        context.Connection.LocalIpAddress = IPAddress.Loopback;
        context.Connection.LocalPort = 6443;
        context.Response.Body = new MemoryStream();
        return context;
    }

    public static string BodyText(HttpContext context) =>
        Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    public static JsonObject BodyJson(HttpContext context) => JsonNode.Parse(BodyText(context))!.AsObject();
}
