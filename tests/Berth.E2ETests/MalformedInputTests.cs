using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// Issue 2 §5 malformed-input test: a corpus of bad bodies, headers and paths. Every reply is a 4xx Status with the
/// matching code, the server stays up, and stored data is unchanged.
/// </summary>
[Trait("Category", "E2E")]
public sealed class MalformedInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Cms = "/api/v1/namespaces/default/configmaps";

    public static TheoryData<string, string, string, string?, string, int> Corpus() => new()
    {
        { "truncated json", "POST", Cms, "application/json", "{", 400 },
        { "array body", "POST", Cms, "application/json", "[]", 400 },
        { "wrong field type", "POST", Cms, "application/json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"k":1}}""", 400 },
        { "wrong kind for path", "POST", Cms, "application/json", """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"}}""", 400 },
        { "invalid name", "POST", Cms, "application/json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"UPPER"}}""", 422 },
        { "namespace mismatch", "POST", Cms, "application/json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"other"}}""", 400 },
        { "protobuf body", "POST", Cms, "application/vnd.kubernetes.protobuf", "k8s\0garbage", 400 },
        { "text body", "POST", Cms, "text/plain", "hello", 415 },
        { "invalid utf8", "POST", Cms, "application/json", "hex:7bff3a317d", 400 },
        { "deep nesting", "POST", Cms, "application/json", new string('[', 5000) + new string(']', 5000), 400 },
        { "unknown resource", "GET", "/api/v1/namespaces/default/nonexistents", null, "", 404 },
        { "unknown group", "GET", "/apis/nogroup.example/v1/things", null, "", 404 },
        { "bad label selector", "GET", Cms + "?labelSelector=a%20in%20(", null, "", 400 },
        { "unsupported field selector", "GET", Cms + "?fieldSelector=spec.foo%3Dbar", null, "", 400 },
        { "bad watch resourceVersion", "GET", Cms + "?watch=true&resourceVersion=abc", null, "", 400 },
        { "merge patch non-object", "PATCH", Cms + "/keep", "application/merge-patch+json", "5", 400 },
        { "json patch bad op", "PATCH", Cms + "/keep", "application/json-patch+json", """[{"op":"explode","path":"/data"}]""", 400 },
        { "patch plain json type", "PATCH", Cms + "/keep", "application/json", """{"data":{"k":"v"}}""", 415 },
        { "put name mismatch", "PUT", Cms + "/keep", "application/json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}""", 400 },
        { "strict unknown field", "POST", Cms + "?fieldValidation=Strict", "application/json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"s"},"spec":{}}""", 400 },
        { "delete bad body", "DELETE", Cms + "/keep", "application/json", "{", 400 },
        { "get missing", "GET", Cms + "/does-not-exist", null, "", 404 },
        { "create into missing namespace", "POST", "/api/v1/namespaces/nope/configmaps", "application/json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""", 404 },
        { "duplicate create", "POST", Cms, "application/json", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"keep"}}""", 409 },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task BadRequest_GetsStatusWithCode_AndStoredDataIsUnchanged(string name, string method, string path, string? contentType, string body, int expected)
    {
        using var http = BerthHttp.Create(fixture.Server);
        var before = await EnsureKeepAsync(http);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null)
        {
            var bytes = body.StartsWith("hex:", StringComparison.Ordinal) ? Convert.FromHexString(body[4..]) : Encoding.UTF8.GetBytes(body);
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{name}: expected {expected}, got {(int)response.StatusCode}: {text}");
        var status = JsonNode.Parse(text)!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal(expected, (int)status["code"]!);
        Assert.Equal(before, await http.GetStringAsync(Cms + "/keep"));
    }

    [Fact]
    public async Task OversizedBody_Is413_AndNoToken_Is401()
    {
        using var http = BerthHttp.Create(fixture.Server);
        var big = new StringContent("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"k\":\"" +
            new string('x', 4 * 1024 * 1024) + "\"}}", Encoding.UTF8, "application/json");
        using var tooLarge = await http.PostAsync(Cms, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("Status", (string?)JsonNode.Parse(await tooLarge.Content.ReadAsStringAsync())!["kind"]);

        using var anonymous = BerthHttp.Create(fixture.Server, withToken: false);
        using var unauthorized = await anonymous.GetAsync(Cms);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("Unauthorized", (string?)JsonNode.Parse(await unauthorized.Content.ReadAsStringAsync())!["reason"]);
        using var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task<string> EnsureKeepAsync(HttpClient http)
    {
        using var existing = await http.GetAsync(Cms + "/keep");
        if (existing.StatusCode == HttpStatusCode.OK)
        {
            return await existing.Content.ReadAsStringAsync();
        }
        using var created = await http.PostAsync(Cms, new StringContent(
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"keep"},"data":{"k":"v"}}""", Encoding.UTF8, "application/json"));
        return await http.GetStringAsync(Cms + "/keep");
    }
}
