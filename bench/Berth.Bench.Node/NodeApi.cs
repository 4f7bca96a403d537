using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Bench.Api;

namespace Berth.Bench.Node;

/// <summary>
/// The few API calls the node bench makes, over one HTTP/2 connection (requests run concurrently as streams). Every
/// unexpected status stops the run (<see cref="BenchFailureException"/>). Thread-safe.
/// </summary>
internal sealed class NodeApi(HttpClient http)
{
    public async Task CreateNamespaceAsync(string name)
    {
        var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
        await SendAsync(HttpMethod.Post, "/api/v1/namespaces", body, HttpStatusCode.Created).ConfigureAwait(false);
    }

    public Task CreatePodAsync(string ns, JsonObject pod) =>
        SendAsync(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods", pod, HttpStatusCode.Created);

    /// <summary>DELETE without options (the pod's own grace period applies).</summary>
    public Task DeletePodAsync(string ns, string name) =>
        SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/{ns}/pods/{name}", null, HttpStatusCode.OK);

    /// <summary>
    /// The store's current revision: the resourceVersion of a pod list (Berth's list revision is the store's, so
    /// the difference of two readings counts every write in between, of any kind).
    /// </summary>
    public async Task<long> StoreRevisionAsync(string ns)
    {
        using var response = await http.GetAsync($"/api/v1/namespaces/{ns}/pods?limit=1").ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchFailureException($"GET pods of {ns}: {(int)response.StatusCode}");
        }
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false))!;
        return long.Parse((string)list["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True once a Node object reports Ready=True (the in-process agent registered itself).</summary>
    public async Task<bool> NodeReadyAsync()
    {
        using var response = await http.GetAsync("/api/v1/nodes").ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false))!;
        return list["items"]!.AsArray().Any(n => n!["status"]?["conditions"]?.AsArray()
            .Any(c => (string?)c!["type"] == "Ready" && (string?)c["status"] == "True") == true);
    }

    private async Task SendAsync(HttpMethod method, string path, JsonObject? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        if (response.StatusCode != expected)
        {
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            throw new BenchFailureException($"{method} {path}: {(int)response.StatusCode} {text}");
        }
    }

    /// <summary>A bare pod: one container running <paramref name="command"/>, the given grace, no node (the scheduler binds it).</summary>
    public static JsonObject Pod(string name, long grace, params string[] command) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject
        {
            ["terminationGracePeriodSeconds"] = grace,
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = "app",
                ["image"] = "bench/idle:1",
                ["command"] = JsonSerializer.SerializeToNode(command),
            }),
        },
    };
}
