using Berth.Kubelet.Volumes;
using Berth.Machinery.Errors;

namespace Berth.UnitTests.Kubelet.Volumes;

public sealed class DownwardApiFieldsTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("tab\tnl\n", "\"tab\\tnl\\n\"")]
    [InlineData("\u0001\u007f", "\"\\x01\\x7f\"")]
    [InlineData("héllo ✓", "\"héllo ✓\"")]
    [InlineData("nb\u00a0sp", "\"nb\\u00a0sp\"")]
    public void Quote_Value_MatchesGoPercentQ(string value, string expected) => Assert.Equal(expected, GoQuote.Quote(value));

    [Fact]
    public void FormatMap_Labels_SortedQuotedWithoutTrailingNewline()
    {
        var formatted = DownwardApiFields.FormatMap(new Dictionary<string, string> { ["b"] = "2", ["a"] = "x y", ["app.kubernetes.io/name"] = "web" });

        Assert.Equal("a=\"x y\"\napp.kubernetes.io/name=\"web\"\nb=\"2\"", formatted);
        Assert.Equal("", DownwardApiFields.FormatMap(null));
    }

    [Theory]
    [InlineData("$(A)/$(B)", "1/2")]
    [InlineData("$$(A)", "$(A)")]
    [InlineData("$(A", "$(A")]
    [InlineData("$x$", "$x$")]
    [InlineData("$(UNKNOWN)", "$(UNKNOWN)")]
    public void Expand_Syntax_MatchesUpstreamExpansion(string input, string expected)
    {
        var env = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" };

        Assert.Equal(expected, SubPathExpansion.Expand(input, name => env.TryGetValue(name, out var v) ? v : null));
    }
}
