using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Pods;

/// <summary>
/// The <c>serviceAccountToken</c> sources of projected volumes: <c>expirationSeconds</c> defaults to 3600 and must lie
/// between 10 minutes and 2^32 seconds, and <c>path</c> is required and relative without <c>..</c>, so a token the
/// kubelet could never get is refused at create instead of failing every mount. Stateless.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/apis/core/v1/defaults.go (SetDefaults_ServiceAccountTokenProjection) and
/// pkg/apis/core/validation (validateProjectionSources, the serviceAccountToken case).
/// </remarks>
internal static class ServiceAccountTokenProjectionRules
{
    private const long DefaultExpirationSeconds = 3600;
    private const long MinExpirationSeconds = 600;
    private const long MaxExpirationSeconds = 1L << 32;

    public static void Default(JsonObject volume)
    {
        foreach (var (_, token) in Sources(volume))
        {
            JsonFields.SetDefault(token, "expirationSeconds", DefaultExpirationSeconds);
        }
    }

    public static void Validate(JsonObject volume, string volumePath, List<FieldError> errs)
    {
        foreach (var (i, token) in Sources(volume))
        {
            var path = FieldPath.Child(FieldPath.Index(FieldPath.Child(volumePath, "projected", "sources"), i), "serviceAccountToken");
            if (JsonFields.AsLong(token["expirationSeconds"]) is { } seconds)
            {
                if (seconds < MinExpirationSeconds)
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(path, "expirationSeconds"), seconds, "may not specify a duration less than 10 minutes"));
                }
                if (seconds > MaxExpirationSeconds)
                {
                    errs.Add(FieldError.Invalid(FieldPath.Child(path, "expirationSeconds"), seconds, "may not specify a duration larger than 2^32 seconds"));
                }
            }
            var file = JsonFields.AsString(token["path"]) ?? "";
            if (file.Length == 0)
            {
                errs.Add(FieldError.Required(FieldPath.Child(path, "path")));
            }
            else if (file.StartsWith('/') || file.Split('/').Contains(".."))
            {
                errs.Add(FieldError.Invalid(FieldPath.Child(path, "path"), file,
                    file.StartsWith('/') ? "must be a relative path" : "must not contain '..'"));
            }
        }
    }

    private static IEnumerable<(int Index, JsonObject Token)> Sources(JsonObject volume)
    {
        foreach (var (i, source) in JsonFields.Objects(volume.GetPath("projected", "sources") as JsonArray))
        {
            if (source["serviceAccountToken"] is JsonObject token)
            {
                yield return (i, token);
            }
        }
    }
}
