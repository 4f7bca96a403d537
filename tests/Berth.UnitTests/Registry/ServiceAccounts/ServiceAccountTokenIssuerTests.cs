using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Registry.Core.ServiceAccounts;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Registry.ServiceAccounts;

public sealed class ServiceAccountTokenIssuerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 5, 0, 0, TimeSpan.Zero);
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider time = new(Start);

    public void Dispose() => key.Dispose();

    private ServiceAccountTokenIssuer Issuer() => new(key, time);

    private static ServiceAccountTokenClaims Claims(IReadOnlyList<string>? audiences = null, TimeSpan? lifetime = null) =>
        new("team", "builder", "sa-uid", new BoundObject("web-1", "pod-uid"), null,
            audiences ?? [ServiceAccountTokenIssuer.DefaultIssuer], Start, Start + (lifetime ?? TimeSpan.FromSeconds(3607)));

    internal static JsonObject Payload(string token) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Base64Url(token.Split('.')[1])))!.AsObject();

    private static byte[] Base64Url(string s) =>
        Convert.FromBase64String(s.Replace('-', '+').Replace('_', '/') + new string('=', (4 - s.Length % 4) % 4));

    [Fact]
    public void Issue_PodBound_HasUpstreamClaims()
    {
        var token = Issuer().Issue(Claims());
        var header = JsonNode.Parse(Encoding.UTF8.GetString(Base64Url(token.Split('.')[0])))!.AsObject();
        var payload = Payload(token);
        Assert.Equal("ES256", (string?)header["alg"]);
        Assert.False(string.IsNullOrEmpty((string?)header["kid"]));
        Assert.Equal(ServiceAccountTokenIssuer.DefaultIssuer, (string?)payload["iss"]);
        Assert.Equal("system:serviceaccount:team:builder", (string?)payload["sub"]);
        Assert.Equal(ServiceAccountTokenIssuer.DefaultIssuer, payload["aud"] is JsonArray a ? (string?)a[0] : (string?)payload["aud"]);
        Assert.Equal(Start.ToUnixTimeSeconds(), (long?)payload["iat"]);
        Assert.Equal(Start.ToUnixTimeSeconds(), (long?)payload["nbf"]);
        Assert.Equal(Start.ToUnixTimeSeconds() + 3607, (long?)payload["exp"]);
        Assert.False(string.IsNullOrEmpty((string?)payload["jti"]));
        var k8s = payload["kubernetes.io"]!.AsObject();
        Assert.Equal("team", (string?)k8s["namespace"]);
        Assert.Equal("builder", (string?)k8s["serviceaccount"]!["name"]);
        Assert.Equal("sa-uid", (string?)k8s["serviceaccount"]!["uid"]);
        Assert.Equal("web-1", (string?)k8s["pod"]!["name"]);
        Assert.Equal("pod-uid", (string?)k8s["pod"]!["uid"]);
        Assert.Null(k8s["secret"]);
    }

    [Fact]
    public async Task ValidateAsync_FreshToken_ReturnsClaims()
    {
        var issuer = Issuer();
        var claims = await issuer.ValidateAsync(issuer.Issue(Claims())).DefaultTimeout();
        Assert.NotNull(claims);
        Assert.Equal("system:serviceaccount:team:builder", claims.Subject);
        Assert.Equal(new BoundObject("web-1", "pod-uid"), claims.Pod);
        Assert.Equal("sa-uid", claims.ServiceAccountUid);
        Assert.Equal(Start + TimeSpan.FromSeconds(3607), claims.Expires);
    }

    [Fact]
    public async Task ValidateAsync_AfterExpiry_ReturnsNull()
    {
        var issuer = Issuer();
        var token = issuer.Issue(Claims(lifetime: TimeSpan.FromMinutes(10)));
        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await issuer.ValidateAsync(token).DefaultTimeout());
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await issuer.ValidateAsync(token).DefaultTimeout());
    }

    [Fact]
    public async Task ValidateAsync_BeforeNotBefore_ReturnsNull()
    {
        var issuer = Issuer();
        var later = Claims() with { IssuedAt = Start + TimeSpan.FromSeconds(5) };
        Assert.Null(await issuer.ValidateAsync(issuer.Issue(later)).DefaultTimeout());
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.NotNull(await issuer.ValidateAsync(issuer.Issue(later)).DefaultTimeout());
    }

    [Fact]
    public async Task ValidateAsync_OtherAudience_ReturnsNull()
    {
        var issuer = Issuer();
        Assert.Null(await issuer.ValidateAsync(issuer.Issue(Claims(["vault"]))).DefaultTimeout());
    }

    [Fact]
    public async Task ValidateAsync_SignedByOtherKey_ReturnsNull()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = new ServiceAccountTokenIssuer(other, time).Issue(Claims());
        Assert.Null(await Issuer().ValidateAsync(token).DefaultTimeout());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    public async Task ValidateAsync_Garbage_ReturnsNull(string token) =>
        Assert.Null(await Issuer().ValidateAsync(token).DefaultTimeout());

    [Fact]
    public async Task ValidateAsync_TamperedPayload_ReturnsNull()
    {
        var issuer = Issuer();
        var parts = issuer.Issue(Claims()).Split('.');
        var payload = Payload(string.Join('.', parts));
        payload["sub"] = "system:serviceaccount:kube-system:admin";
        parts[1] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Null(await issuer.ValidateAsync(string.Join('.', parts)).DefaultTimeout());
    }
}
