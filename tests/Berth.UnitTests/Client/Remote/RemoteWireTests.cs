using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client.Remote;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Registry;

namespace Berth.UnitTests.Client.Remote;

public sealed class RemoteWireTests
{
    [Fact]
    public void Resource_NamespacedWithSubresource_UpstreamPath()
    {
        Assert.Equal("/api/v1/namespaces/ns/pods/p/binding", RemotePaths.Resource(KindRegistry.Pods, "ns", "p", "binding"));
        Assert.Equal("/apis/apps/v1/namespaces/ns/deployments", RemotePaths.Resource(KindRegistry.Deployments, "ns"));
        Assert.Equal("/api/v1/nodes/n1/status", RemotePaths.Resource(KindRegistry.Nodes, null, "n1", "status"));
        Assert.Equal("/api/v1/pods", RemotePaths.Resource(KindRegistry.Pods, null));
    }

    [Fact]
    public void List_WatchWithOptions_EscapedQuery()
    {
        var query = RemotePaths.List("/api/v1/pods", new ListOptions(LabelSelector: "a in (x,y)", FieldSelector: "spec.nodeName=n",
            ResourceVersion: "7", AllowWatchBookmarks: true, TimeoutSeconds: 30), watch: true);

        Assert.Equal("/api/v1/pods?watch=true&labelSelector=a%20in%20%28x%2Cy%29&fieldSelector=spec.nodeName%3Dn&resourceVersion=7" +
            "&allowWatchBookmarks=true&timeoutSeconds=30", query);
    }

    [Fact]
    public void Write_DefaultOptions_SendsFieldValidationIgnore()
    {
        Assert.Equal("/x?fieldValidation=Ignore", RemotePaths.Write("/x", null));
        Assert.Equal("/x?dryRun=All&fieldManager=m&fieldValidation=Strict&force=true",
            RemotePaths.Write("/x", new WriteOptions(true, "m", FieldValidation.Strict, true)));
    }

    [Fact]
    public void ToException_StatusBody_KeepsCodeReasonMessageAndDetails()
    {
        var original = ApiErrors.Invalid(KindRegistry.ConfigMaps, "x", [FieldError.Required("data", "is required")]);
        var body = Encoding.UTF8.GetBytes(StatusJson.Serialize(original));

        var error = RemoteStatus.ToException(HttpStatusCode.UnprocessableEntity, body, null);

        Assert.Equal(StatusJson.Serialize(original), StatusJson.Serialize(error));
    }

    [Fact]
    public void ToException_NonStatusBody_ReasonFromCode()
    {
        var error = RemoteStatus.ToException(HttpStatusCode.ServiceUnavailable, "<html>busy</html>"u8.ToArray(), null);

        Assert.Equal(503, error.Code);
        Assert.Equal(StatusReason.ServiceUnavailable, error.Reason);
        Assert.Contains("<html>busy</html>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_Lines_EventsAndLaterErrorYielded()
    {
        var text = """{"type":"ADDED","object":{"metadata":{"name":"a"}}}""" + "\n\n" +
                   """{"type":"ERROR","object":{"kind":"Status","code":500,"message":"boom"}}""" + "\n";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var events = new List<ApiWatchEvent>();
        await foreach (var ev in RemoteWatchStream.ReadAsync(body, CancellationToken.None))
        {
            events.Add(ev);
        }

        Assert.Equal([ApiWatchEventType.Added, ApiWatchEventType.Error], events.Select(e => e.Type));
        Assert.Null(events[0].Object.Parent);
    }

    [Fact]
    public async Task ReadAsync_Gone410First_ThrowsApiException()
    {
        var text = """{"type":"ERROR","object":{"kind":"Status","status":"Failure","reason":"Expired","code":410,"message":"too old resource version: 1 (5)"}}""";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var error = await Assert.ThrowsAsync<ApiException>(async () =>
        {
            await foreach (var _ in RemoteWatchStream.ReadAsync(body, CancellationToken.None))
            {
            }
        });

        Assert.Equal(410, error.Code);
        Assert.Equal("too old resource version: 1 (5)", error.Message);
    }

    [Fact]
    public void ToResult_PodMarkedWithGrace_Pending()
    {
        var marked = JsonNode.Parse("""{"kind":"Pod","metadata":{"name":"p","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":30}}""")!.AsObject();
        var gone = JsonNode.Parse("""{"kind":"Pod","metadata":{"name":"p","deletionTimestamp":"2026-01-01T00:00:00Z","deletionGracePeriodSeconds":0}}""")!.AsObject();
        var status = JsonNode.Parse("""{"kind":"Status","status":"Success"}""")!.AsObject();

        Assert.False(RemoteDeleteOptions.ToResult(KindRegistry.Pods, marked).Deleted);
        Assert.True(RemoteDeleteOptions.ToResult(KindRegistry.Pods, gone).Deleted);
        Assert.True(RemoteDeleteOptions.ToResult(KindRegistry.ConfigMaps, status).Deleted);
    }

    [Fact]
    public void ToJson_AllOptions_MetaV1DeleteOptions()
    {
        var json = RemoteDeleteOptions.ToJson(new DeleteOptions(5, "Foreground", "u", "9", true));

        Assert.Equal("""{"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5,"propagationPolicy":"Foreground","preconditions":{"uid":"u","resourceVersion":"9"},"dryRun":["All"]}""",
            json.ToJsonString());
    }

    [Fact]
    public void Constructor_HttpServer_Refused()
    {
        var options = new RemoteApiClientOptions { Server = new Uri("http://127.0.0.1:1"), Token = "t", CertificateAuthorities = [] };

        Assert.Throws<ArgumentException>(() => new RemoteApiClient(options));
    }
}
