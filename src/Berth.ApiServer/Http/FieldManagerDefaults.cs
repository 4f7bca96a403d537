using System.Text;
using Berth.Registry;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Http;

/// <summary>
/// The field manager of a non-apply write that names none: the User-Agent up to its first '/', without non-printable
/// characters, cut at 128 bytes (<c>kubectl/v1.32.4 (linux/amd64) …</c> becomes <c>kubectl</c>). Apply requests must
/// name one and are never defaulted. Mirrors managerOrUserAgent and prefixFromUserAgent of
/// k8s.io/apiserver/pkg/endpoints/handlers (create.go).
/// </summary>
internal static class FieldManagerDefaults
{
    private const int MaxBytes = 128;

    /// <summary><paramref name="options"/>, with the manager taken from the request's User-Agent when it has none.</summary>
    public static WriteOptions OrUserAgent(WriteOptions options, HttpRequest request)
    {
        if (!string.IsNullOrEmpty(options.FieldManager))
        {
            return options;
        }
        var manager = FromUserAgent(request.Headers.UserAgent.ToString());
        return manager.Length == 0 ? options : options with { FieldManager = manager };
    }

    public static string FromUserAgent(string userAgent)
    {
        var slash = userAgent.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash < 0 ? userAgent : userAgent[..slash];
        var text = new StringBuilder(prefix.Length);
        var bytes = 0;
        foreach (var rune in prefix.EnumerateRunes())
        {
            if (!Berth.Machinery.Errors.GoQuote.IsPrintable(rune))
            {
                continue;
            }
            if (bytes + rune.Utf8SequenceLength > MaxBytes)
            {
                break;
            }
            bytes += rune.Utf8SequenceLength;
            text.Append(rune.ToString());
        }
        return text.ToString();
    }
}
