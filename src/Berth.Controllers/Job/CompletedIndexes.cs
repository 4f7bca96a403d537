using System.Globalization;
using System.Text;

namespace Berth.Controllers.Job;

/// <summary>
/// A set of completion indexes and its <c>status.completedIndexes</c> text form: ascending, runs of consecutive
/// indexes written as <c>a-b</c>, e.g. <c>1,3-5,7</c>. Immutable; parsing ignores malformed parts and indexes at or above
/// the completions count. Mirrors kubernetes/kubernetes pkg/controller/job/indexed_job_utils.go (orderedIntervals,
/// parseIndexesFromString, String).
/// </summary>
public sealed class CompletedIndexes
{
    private readonly SortedSet<int> _indexes;

    private CompletedIndexes(SortedSet<int> indexes) => _indexes = indexes;

    public static CompletedIndexes Empty { get; } = new([]);

    public int Count => _indexes.Count;

    public bool Contains(int index) => _indexes.Contains(index);

    /// <summary>How many of these indexes <paramref name="other"/> also holds.</summary>
    public int CountIn(CompletedIndexes other) => _indexes.Count(other.Contains);

    public static CompletedIndexes Parse(string? text, int completions)
    {
        var set = new SortedSet<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            if (!TryIndex(bounds[0], out var first) || !TryIndex(bounds[^1], out var last) || bounds.Length > 2)
            {
                continue;
            }
            for (var i = first; i <= Math.Min(last, completions - 1); i++)
            {
                set.Add(i);
            }
        }
        return new CompletedIndexes(set);
    }

    /// <summary>A new set with <paramref name="indexes"/> added.</summary>
    public CompletedIndexes With(IEnumerable<int> indexes)
    {
        var set = new SortedSet<int>(_indexes);
        set.UnionWith(indexes);
        return new CompletedIndexes(set);
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        var list = _indexes.ToList();
        for (var i = 0; i < list.Count;)
        {
            var j = i;
            while (j + 1 < list.Count && list[j + 1] == list[j] + 1)
            {
                j++;
            }
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(CultureInfo.InvariantCulture, $"{list[i]}");
            if (j > i)
            {
                text.Append('-').Append(CultureInfo.InvariantCulture, $"{list[j]}");
            }
            i = j + 1;
        }
        return text.ToString();
    }

    private static bool TryIndex(string text, out int index) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index);
}
