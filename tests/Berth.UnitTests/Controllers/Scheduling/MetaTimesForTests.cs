using System.Globalization;

namespace Berth.UnitTests.Controllers.Scheduling;

/// <summary>metav1.Time formatting for test fixtures.</summary>
internal static class MetaTimesForTests
{
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
