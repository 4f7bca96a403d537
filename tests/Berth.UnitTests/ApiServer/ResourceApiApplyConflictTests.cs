using System.Net;
using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.ApiServer;

/// <summary>Server-side apply conflicts over HTTP, and the field manager defaulted from the User-Agent.</summary>
public sealed class ResourceApiApplyConflictTests : IAsyncLifetime
{
    private const string Deployment = "/apis/apps/v1/namespaces/default/deployments/web";
    private const string KubectlAgent = "kubectl/v1.32.4 (linux/amd64) kubernetes/abcdef0";
    private ApiServerTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiServerTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ApplyAfterScale_Returns409ConflictStatus_ThenForceTakesTheField()
    {
        using (var created = await Apply(2, "")) Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using (var scaled = await Send(HttpMethod.Patch, Deployment + "/scale", """{"spec":{"replicas":3}}""", "application/merge-patch+json"))
        {
            Assert.Equal(HttpStatusCode.OK, scaled.StatusCode);
        }
        using var conflict = await Apply(4, "");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var status = await ApiServerTestHost.ReadJsonAsync(conflict);
        Assert.Equal(("Status", "Failure", "Conflict", 409L), (status.GetString("kind"), status.GetString("status"), status.GetString("reason"), status.GetLong("code")));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", status.GetString("message"));
        var cause = Assert.Single(status.GetArray("details", "causes")!)!.AsObject();
        Assert.Equal(("FieldManagerConflict", "conflict with \"kubectl\" with subresource \"scale\" using apps/v1", ".spec.replicas"),
            (cause.GetString("reason"), cause.GetString("message"), cause.GetString("field")));

        using var forced = await Apply(4, "&force=true");
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        var obj = await ApiServerTestHost.ReadJsonAsync(forced);
        Assert.Equal(4, obj.GetLong("spec", "replicas"));
        var entry = Assert.Single(obj.GetArray("metadata", "managedFields")!)!.AsObject();
        Assert.Equal(("kubectl", "Apply"), (entry.GetString("manager"), entry.GetString("operation")));
    }

    [Fact]
    public async Task NonApplyWriteWithoutFieldManager_RecordsTheUserAgentPrefix()
    {
        using (var created = await Apply(1, "")) Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var labelled = await Send(HttpMethod.Patch, Deployment, """{"metadata":{"labels":{"x":"y"}}}""", "application/merge-patch+json");
        var entries = (await ApiServerTestHost.ReadJsonAsync(labelled)).GetArray("metadata", "managedFields")!;
        Assert.Contains(entries, e => e!["manager"]!.GetValue<string>() == "kubectl" && e["operation"]!.GetValue<string>() == "Update");
    }

    [Theory]
    [InlineData("POST", "/apis/apps/v1/namespaces/default/deployments?fieldManager=%00bad", "CreateOptions")]
    [InlineData("PATCH", Deployment + "?fieldManager=%00bad", "PatchOptions")]
    public async Task NamedFieldManager_NonPrintable_Returns422AgainstTheOptionsKind(string method, string path, string optionsKind)
    {
        using (var created = await Apply(1, "")) Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = method == "POST"
            ? """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"other"},"spec":{"selector":{"matchLabels":{"app":"o"}},"template":{"metadata":{"labels":{"app":"o"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}"""
            : """{"metadata":{"labels":{"x":"y"}}}""";
        using var response = await Send(new HttpMethod(method), path, body, method == "POST" ? "application/json" : "application/merge-patch+json");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var status = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal($"{optionsKind}.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"\\x00bad\": invalid character U+0000 (at position 0)",
            status.GetString("message"));
        Assert.Equal("fieldManager", Assert.Single(status.GetArray("details", "causes")!)!["field"]!.GetValue<string>());
    }

    [Fact]
    public void NamedFieldManager_Over128Bytes_TooLong()
    {
        var e = Assert.Throws<Berth.Machinery.Errors.ApiException>(() =>
            FieldManagerValidation.Validate(new string('m', 129), FieldManagerValidation.UpdateOptions));

        Assert.Equal(422, e.Code);
        Assert.StartsWith("UpdateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long:", e.Message, StringComparison.Ordinal);
        FieldManagerValidation.Validate(new string('m', 128), FieldManagerValidation.UpdateOptions);
    }

    [Theory]
    [InlineData(KubectlAgent, "kubectl")]
    [InlineData("berth-agent/1.0", "berth-agent")]
    [InlineData("no-slash", "no-slash")]
    [InlineData("tab\there/x", "tabhere")]
    [InlineData("", "")]
    public void FromUserAgent_TakesThePrintablePrefixBeforeTheFirstSlash(string userAgent, string expected) =>
        Assert.Equal(expected, FieldManagerDefaults.FromUserAgent(userAgent));

    [Fact]
    public void FromUserAgent_CutsAt128Bytes() => Assert.Equal(128, FieldManagerDefaults.FromUserAgent(new string('a', 300)).Length);

    private Task<HttpResponseMessage> Apply(int replicas, string query) => Send(HttpMethod.Patch, Deployment + "?fieldManager=kubectl" + query, """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
         "spec":{"replicas":REPLICAS,"selector":{"matchLabels":{"app":"web"}},
          "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
        """.Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), "application/apply-patch+yaml");

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string body, string mediaType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = ApiServerTestHost.Json(body, mediaType) };
        request.Headers.TryAddWithoutValidation("User-Agent", KubectlAgent);
        return await _host.Client.SendAsync(request);
    }
}
