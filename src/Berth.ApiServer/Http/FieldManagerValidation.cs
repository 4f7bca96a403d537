using System.Globalization;
using System.Text;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Http;

/// <summary>
/// The <c>fieldManager</c> query parameter a client names: at most 128 bytes, printable characters only, else 422
/// against the write's options kind (<c>CreateOptions.meta.k8s.io "" is invalid: fieldManager: …</c>). Runs before a
/// missing manager is defaulted from the User-Agent (which is cleaned, never refused). Mirrors ValidateFieldManager of
/// k8s.io/apimachinery/pkg/apis/meta/v1/validation.
/// </summary>
internal static class FieldManagerValidation
{
    public const int MaxBytes = 128;

    public static readonly ResourceKind CreateOptions = OptionsKind("CreateOptions");
    public static readonly ResourceKind UpdateOptions = OptionsKind("UpdateOptions");
    public static readonly ResourceKind PatchOptions = OptionsKind("PatchOptions");

    /// <summary>Throws the 422 when <paramref name="fieldManager"/> is too long or has a non-printable character.</summary>
    public static void Validate(string? fieldManager, ResourceKind optionsKind)
    {
        if (string.IsNullOrEmpty(fieldManager))
        {
            return;
        }
        var errors = new List<FieldError>();
        if (Encoding.UTF8.GetByteCount(fieldManager) > MaxBytes)
        {
            errors.Add(FieldError.TooLong("fieldManager", MaxBytes));
        }
        var position = 0;
        foreach (var rune in fieldManager.EnumerateRunes())
        {
            if (!GoQuote.IsPrintable(rune))
            {
                errors.Add(FieldError.Invalid("fieldManager", fieldManager,
                    $"invalid character U+{rune.Value.ToString("X4", CultureInfo.InvariantCulture)} (at position {position})"));
            }
            position += rune.Utf8SequenceLength;
        }
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(optionsKind, "", errors);
        }
    }

    private static ResourceKind OptionsKind(string kind) =>
        new("meta.k8s.io", "v1", kind, kind.ToLowerInvariant(), kind.ToLowerInvariant(), false, [], [], []);
}
