using System.Globalization;
using System.Text;

namespace Berth.Bench.Api;

/// <summary>Markdown table and number formatting for the report (invariant culture).</summary>
internal static class Markdown
{
    public static string Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        return text.ToString();
    }

    /// <summary>Milliseconds: two decimals under 10, one under 100, none above.</summary>
    public static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString(value < 10 ? "F2" : value < 100 ? "F1" : "F0", CultureInfo.InvariantCulture);

    public static string Num(double value, int decimals = 0) => double.IsNaN(value) ? "–" : value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary><c>×1.85</c>: measured over baseline, or a dash when there is no baseline.</summary>
    public static string Ratio(double value, double? baseline) =>
        baseline is { } b && b > 0 && !double.IsNaN(value) ? "×" + (value / b).ToString("F2", CultureInfo.InvariantCulture) : "–";

    public static string Verdict(bool pass) => pass ? "**pass**" : "**FAIL**";
}
