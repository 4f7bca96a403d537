using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Registry.ServiceAccounts;

public sealed class ServiceAccountTokenProjectionTests : IDisposable
{
    private const string Field = "spec.volumes[0].projected.sources[0].serviceAccountToken";
    private readonly TokenTestHost host = new(withIssuer: false);

    public void Dispose() => host.Dispose();

    private Task<JsonObject> CreateAsync(JsonObject token) =>
        host.Api.CreateAsync(KindRegistry.Pods, TokenTestHost.Ns, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web" },
            ["spec"] = new JsonObject
            {
                ["volumes"] = new JsonArray(new JsonObject
                {
                    ["name"] = "vault",
                    ["projected"] = new JsonObject { ["sources"] = new JsonArray(new JsonObject { ["serviceAccountToken"] = token }) },
                }),
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox" }),
            },
        });

    [Fact]
    public async Task Create_NoExpiration_DefaultsTo3600()
    {
        var pod = await CreateAsync(new JsonObject { ["path"] = "token", ["audience"] = "vault" }).DefaultTimeout();
        var token = pod.GetArray("spec", "volumes")![0]!["projected"]!["sources"]![0]!["serviceAccountToken"]!.AsObject();
        Assert.Equal(3600, token.GetLong("expirationSeconds"));
    }

    [Theory]
    [InlineData(599L, "expirationSeconds", "FieldValueInvalid")]
    [InlineData(4294967297L, "expirationSeconds", "FieldValueInvalid")]
    public async Task Create_ExpirationOutOfRange_Invalid(long seconds, string field, string reason)
    {
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            CreateAsync(new JsonObject { ["path"] = "token", ["expirationSeconds"] = seconds })).DefaultTimeout();
        Assert.Equal(422, e.Code);
        var cause = Assert.Single(e.Details!.Causes);
        Assert.Equal($"{Field}.{field}", cause.Field);
        Assert.Equal(reason, cause.Reason);
    }

    [Theory]
    [InlineData(null, "FieldValueRequired")]
    [InlineData("/abs/token", "FieldValueInvalid")]
    [InlineData("../token", "FieldValueInvalid")]
    public async Task Create_BadPath_Invalid(string? path, string reason)
    {
        var token = new JsonObject();
        if (path is not null)
        {
            token["path"] = path;
        }
        var e = await Assert.ThrowsAsync<ApiException>(() => CreateAsync(token)).DefaultTimeout();
        var cause = Assert.Single(e.Details!.Causes);
        Assert.Equal($"{Field}.path", cause.Field);
        Assert.Equal(reason, cause.Reason);
    }
}
