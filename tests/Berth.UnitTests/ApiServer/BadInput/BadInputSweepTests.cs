using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Xunit.Abstractions;

namespace Berth.UnitTests.ApiServer.BadInput;

/// <summary>
/// For every kind the API serves, in every served version, a few hundred single-point mutations (wrong types, extreme numbers, empty and
/// control-character strings, empty containers) of a fully filled object and of a valid seed, sent as creates, updates
/// and status updates. The contract: never a 5xx; every refusal is a Status with the HTTP code; every object created is
/// readable as JSON and as a Table; the kind still lists afterwards.
/// </summary>
public sealed class BadInputSweepTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int CreatesPerBase = 120;
    private const int Updates = 40;
    private const int Patches = 40;
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private static readonly HashSet<HttpStatusCode> Refusals =
    [
        HttpStatusCode.BadRequest, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed,
        HttpStatusCode.Conflict, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType,
        HttpStatusCode.UnprocessableEntity,
    ];

    private readonly List<string> _failures = [];
    private readonly Dictionary<int, int> _codes = [];
    private readonly Dictionary<int, string> _firstMessages = [];
    private ApiServerTestHost _host = null!;
    private int _names;

    public static TheoryData<string> Kinds() =>
        [.. KindRegistry.ServedKinds.Where(k => k.Verbs.Contains("create") && KindModels.ModelType(k) is not null).Select(k => k.ToString())];

    public async Task InitializeAsync() => _host = await ApiServerTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Mutations_NeverServerError_StoreStillServes(string servedKind)
    {
        // Every served version, converted ones (autoscaling/v1 HorizontalPodAutoscaler) included.
        var kind = KindRegistry.ServedKinds.Single(k => k.ToString() == servedKind);
        var filled = WithHeader(kind, ModelSamples.Filled(KindModels.ModelType(kind)!));
        filled["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["a"] = "b" }, ["annotations"] = new JsonObject { ["a"] = "b" } };
        if (filled["spec"] is JsonObject spec && kind == KindRegistry.Pods)
        {
            // Priority admission would refuse every filled pod (no PriorityClass "a") before validation saw it.
            spec.Remove("priorityClassName");
            spec.Remove("priority");
            spec.Remove("preemptionPolicy");
        }
        var seed = WithHeader(kind, KindSeeds.For(kind));
        var paths = JsonMutations.Paths(filled);

        var admitted = await CreateAllAsync(kind, filled, JsonMutations.Sample(filled, paths, CreatesPerBase, seed: 1));
        admitted += await CreateAllAsync(kind, seed, JsonMutations.Sample(seed, paths, CreatesPerBase, seed: 2));
        var updated = await UpdateAllAsync(kind, seed, paths);

        using var list = await _host.SendAsync(HttpMethod.Get, Collection(kind));
        using var table = await _host.SendAsync(HttpMethod.Get, Collection(kind), accept: TableAccept);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, table.StatusCode);
        output.WriteLine($"{servedKind}: {paths.Count} paths, {admitted} created, seed updatable {updated}, codes " +
            string.Join(", ", _codes.OrderBy(c => c.Key).Select(c => $"{c.Key}×{c.Value}")));
        foreach (var (code, message) in _firstMessages.OrderBy(m => m.Key))
        {
            output.WriteLine($"  first {code}: {message}");
        }
        Assert.True(_failures.Count == 0, $"{_failures.Count} failures, first: {string.Join("\n", _failures.Take(8))}");
        if (KindSeeds.Required.Contains(kind.Kind) && kind.Group is "" or "apps" or "batch")
        {
            Assert.True(admitted > 0 && updated, $"{kind.Kind}: {admitted} mutants admitted, seed updatable {updated}");
        }
    }

    private async Task<int> CreateAllAsync(ResourceKind kind, JsonObject baseObject, IEnumerable<(string Path, JsonObject Mutant)> mutants)
    {
        var admitted = 0;
        foreach (var (path, mutant) in mutants)
        {
            var name = $"fz{++_names}";
            if (!path.StartsWith("metadata.name ", StringComparison.Ordinal) && mutant["metadata"] is JsonObject metadata)
            {
                metadata["name"] = name;
            }
            using var response = await _host.SendAsync(HttpMethod.Post, Collection(kind), ApiServerTestHost.Json(mutant.ToJsonString()));
            if (await CheckAsync("POST " + path, response) && response.StatusCode == HttpStatusCode.Created)
            {
                admitted++;
                await ReadBackAsync(kind, path, name);
            }
        }
        return admitted;
    }

    // PUTs of the seed object (and of its status, where the kind has one) with one mutation each. False when the seed
    // itself is refused, so no update could be tried.
    private async Task<bool> UpdateAllAsync(ResourceKind kind, JsonObject seed, List<object[]> paths)
    {
        var created = seed.DeepClone().AsObject();
        created["metadata"]!["name"] = "fz-seed";
        using (var response = await _host.SendAsync(HttpMethod.Post, Collection(kind), ApiServerTestHost.Json(created.ToJsonString())))
        {
            if (response.StatusCode != HttpStatusCode.Created)
            {
                await CheckAsync("POST seed", response);
                return false;
            }
        }
        var target = Collection(kind) + "/fz-seed";
        foreach (var suffix in kind.Subresources.Contains("status") ? new[] { "", "/status" } : [""])
        {
            using var current = await _host.SendAsync(HttpMethod.Get, target);
            var stored = await ApiServerTestHost.ReadJsonAsync(current);
            foreach (var (path, mutant) in JsonMutations.Sample(stored, paths, Updates, seed: 3 + suffix.Length))
            {
                using var response = await _host.SendAsync(HttpMethod.Put, target + suffix, ApiServerTestHost.Json(mutant.ToJsonString()));
                await CheckAsync($"PUT{suffix} {path}", response);
            }
        }
        await PatchAllAsync(target, paths);
        return true;
    }

    // Strategic merge and JSON merge patches that each carry one mutated path (directives and list merges included,
    // since the filled object's paths reach every list).
    private async Task PatchAllAsync(string target, List<object[]> paths)
    {
        var patchTypes = new[] { "application/strategic-merge-patch+json", "application/merge-patch+json" };
        var i = 0;
        foreach (var (path, patch) in JsonMutations.Sample(new JsonObject(), paths, Patches, seed: 7))
        {
            var type = patchTypes[i++ % patchTypes.Length];
            using var response = await _host.SendAsync(HttpMethod.Patch, target, ApiServerTestHost.Json(patch.ToJsonString(), type));
            await CheckAsync($"PATCH {type} {path}", response);
        }
    }

    private async Task ReadBackAsync(ResourceKind kind, string path, string name)
    {
        using var json = await _host.SendAsync(HttpMethod.Get, Collection(kind) + "/" + name);
        using var table = await _host.SendAsync(HttpMethod.Get, Collection(kind) + "/" + name, accept: TableAccept);
        if (json.StatusCode != HttpStatusCode.OK || table.StatusCode != HttpStatusCode.OK)
        {
            _failures.Add($"GET after POST {path}: JSON {(int)json.StatusCode}, Table {(int)table.StatusCode}");
        }
    }

    private async Task<bool> CheckAsync(string what, HttpResponseMessage response)
    {
        var code = response.StatusCode;
        _codes[(int)code] = _codes.GetValueOrDefault((int)code) + 1;
        if (code is HttpStatusCode.OK or HttpStatusCode.Created)
        {
            return true;
        }
        var body = await response.Content.ReadAsStringAsync();
        _firstMessages.TryAdd((int)code, body.Length > 200 ? body[..200] : body);
        if (!Refusals.Contains(code))
        {
            _failures.Add($"{what}: {(int)code} {body[..Math.Min(body.Length, 300)]}");
            return false;
        }
        var status = JsonNode.Parse(body) as JsonObject;
        if (status?["kind"]?.GetValue<string>() != "Status" || status["code"]?.GetValue<int>() != (int)code)
        {
            _failures.Add($"{what}: {(int)code} without a matching Status: {body[..Math.Min(body.Length, 300)]}");
        }
        return true;
    }

    private static JsonObject WithHeader(ResourceKind kind, JsonObject body)
    {
        body["apiVersion"] = kind.ApiVersion;
        body["kind"] = kind.Kind;
        body["metadata"] ??= new JsonObject();
        return body;
    }

    private static string Collection(ResourceKind kind) =>
        kind.GroupVersionPath + (kind.Namespaced ? "/namespaces/default/" : "/") + kind.Resource;
}
