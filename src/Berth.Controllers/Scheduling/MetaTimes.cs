using System.Globalization;

namespace Berth.Controllers.Scheduling;

/// <summary>metav1.Time on the wire: RFC 3339 in UTC with whole seconds. Pure; shared by the scheduling and node lifecycle controllers.</summary>
internal static class MetaTimes
{
    public static string Format(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
