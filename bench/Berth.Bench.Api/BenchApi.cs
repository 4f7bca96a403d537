using System.Net;
using System.Text;
using System.Text.Json;

namespace Berth.Bench.Api;

/// <summary>
/// The few API calls the bench makes, each checked: an unexpected status throws <see cref="BenchFailureException"/>
/// with the response body, so a bench never silently measures errors. Thread-safe (HttpClient is).
/// </summary>
internal sealed class BenchApi(HttpClient http)
{
    public const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public HttpClient Http => http;

    /// <summary>Creates the namespace; an existing one is fine.</summary>
    public async Task EnsureNamespaceAsync(string ns)
    {
        var body = $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/api/v1/namespaces", content).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureAsync(response, HttpStatusCode.Created, "create namespace").ConfigureAwait(false);
        }
    }

    public async Task CreatePodAsync(string ns, int i, long sequence)
    {
        using var content = BenchPod.Content(ns, i, sequence);
        using var response = await http.PostAsync($"/api/v1/namespaces/{ns}/pods", content).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.Created, "create pod").ConfigureAwait(false);
    }

    /// <summary>Unconditional PUT (no resourceVersion in the body) that changes the sequence annotation.</summary>
    public async Task UpdatePodAsync(string ns, int i, long sequence)
    {
        using var content = BenchPod.Content(ns, i, sequence);
        using var response = await http.PutAsync($"/api/v1/namespaces/{ns}/pods/{BenchPod.Name(i)}", content).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.OK, "update pod").ConfigureAwait(false);
    }

    public async Task GetPodAsync(string ns, int i)
    {
        using var response = await http.GetAsync($"/api/v1/namespaces/{ns}/pods/{BenchPod.Name(i)}").ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.OK, "get pod").ConfigureAwait(false);
        await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    }

    /// <summary>A LIST (JSON or Table) of one namespace, or of all when <paramref name="ns"/> is null, read to its last byte.</summary>
    public async Task<byte[]> ListPodsAsync(string? ns, bool table, string query = "")
    {
        var path = ns is null ? "/api/v1/pods" : $"/api/v1/namespaces/{ns}/pods";
        using var request = new HttpRequestMessage(HttpMethod.Get, path + query);
        request.Headers.TryAddWithoutValidation("Accept", table ? TableAccept : "application/json");
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        await EnsureAsync(response, HttpStatusCode.OK, "list pods").ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    }

    /// <summary>The list's resourceVersion (a watch started from it sees only later writes).</summary>
    public async Task<string> ListResourceVersionAsync(string ns)
    {
        var body = await ListPodsAsync(ns, table: false, "?limit=1").ConfigureAwait(false);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()
            ?? throw new BenchFailureException("list without resourceVersion");
    }

    public static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new BenchFailureException($"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }
    }
}
