using System.Text;

namespace Berth.Registry.Validation;

/// <summary>
/// The shared message fragments of upstream validation, spelled exactly as apimachinery spells them because kubectl
/// prints them verbatim. Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (RegexError, MaxLenError…).
/// </summary>
internal static class ValidationMessages
{
    public const string EmptyError = "must be non-empty";

    public const string IsNegativeError = "must be greater than or equal to 0";

    public const string FieldImmutable = "field is immutable";

    public static string MaxLenError(int length) => $"must be no more than {length} characters";

    public static string InclusiveRangeError(long lo, long hi) => $"must be between {lo} and {hi}, inclusive";

    /// <summary>
    /// <c>msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')</c>. The double space before "or" is upstream's
    /// (each example is followed by <c>", "</c> and the next one is preceded by <c>" or "</c>).
    /// </summary>
    public static string RegexError(string msg, string fmt, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        var sb = new StringBuilder(msg).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" or ");
            }
            sb.Append('\'').Append(examples[i]).Append("', ");
        }
        return sb.Append("regex used for validation is '").Append(fmt).Append("')").ToString();
    }
}
