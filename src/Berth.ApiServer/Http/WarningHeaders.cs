using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>
/// Adds RFC 7234 <c>Warning: 299 - "text"</c> headers, which kubectl prints as <c>Warning: text</c>. Quotes and
/// backslashes in the text are escaped; otherwise kubectl silently drops the warning (kubectl-wire.md §1).
/// Mirrors k8s.io/apiserver pkg/endpoints/handlers/responsewriters (warning recorder) and net/http's header rules.
/// </summary>
internal static class WarningHeaders
{
    public static void Add(HttpResponse response, IReadOnlyList<string>? warnings)
    {
        if (warnings is null || warnings.Count == 0 || response.HasStarted)
        {
            return;
        }
        foreach (var text in warnings.Distinct())
        {
            response.Headers.Append("Warning", Format(text));
        }
    }

    public static string Format(string text)
    {
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        escaped = new string(escaped.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return $"299 - \"{escaped}\"";
    }
}
