using System.Buffers.Text;
using System.Text.Json;
using Berth.Machinery.Errors;

namespace Berth.Registry.Generic;

/// <summary>
/// The opaque <c>continue</c> value of a paged list: base64 of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key"}</c>, the
/// revision of the first page and the last storage key returned. Mirrors kubernetes/kubernetes
/// staging/src/k8s.io/apiserver/pkg/storage/continue.go (EncodeContinue/DecodeContinue).
/// </summary>
internal readonly record struct ContinueToken(long Revision, string StartAfterKey)
{
    private const string Version = "meta.k8s.io/v1";

    public string Encode()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["v"] = Version, ["rv"] = Revision, ["start"] = StartAfterKey,
        });
        return Convert.ToBase64String(json);
    }

    /// <summary>Decodes a token; 400 BadRequest when it is not one of ours or points outside <paramref name="keyRoot"/>.</summary>
    public static ContinueToken Decode(string token, string keyRoot)
    {
        try
        {
            var bytes = Base64.IsValid(token) ? Convert.FromBase64String(token) : throw new FormatException("not base64");
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.GetProperty("v").GetString() != Version)
            {
                throw new FormatException("unsupported version");
            }
            var rv = root.GetProperty("rv").GetInt64();
            var start = root.GetProperty("start").GetString() ?? "";
            if (rv <= 0 || !start.StartsWith(keyRoot, StringComparison.Ordinal))
            {
                throw new FormatException("out of range");
            }
            return new ContinueToken(rv, start);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw ApiErrors.BadRequest($"invalid continue token: {e.Message}");
        }
    }

    /// <summary>410 for a token whose revision was compacted away (upstream's text).</summary>
    public static ApiException Expired() => ApiErrors.Expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without " +
        "the continue parameter, or use the continue token in this response to retrieve the remainder of the results. " +
        "Continuing with the provided token results in an inconsistent list - objects that were created, modified, or " +
        "deleted between the time the first chunk was returned and now may show up in the list.");
}
