using Berth.ApiServer.Tables;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

public sealed class LabelFormattingTests
{
    [Fact]
    public void FormatLabels_SortsKeysAndEmptyIsNone()
    {
        Assert.Equal("a=1,b=2,Z=0".Split(',').Order(StringComparer.Ordinal).Aggregate((x, y) => x + "," + y),
            LabelFormatting.FormatLabels(Parse("""{"b":"2","a":"1","Z":"0"}""")));
        Assert.Equal("<none>", LabelFormatting.FormatLabels(Parse("{}")));
        Assert.Equal("<none>", LabelFormatting.FormatLabels(null));
    }

    [Fact]
    public void FormatLabelSelector_MixesMatchLabelsAndExpressionsByKey() =>
        Assert.Equal("app=web,env in (prod,stage),!legacy,tier notin (cache),track",
            LabelFormatting.FormatLabelSelector(Parse("""
                {"matchLabels":{"app":"web"},
                 "matchExpressions":[{"key":"tier","operator":"NotIn","values":["cache"]},{"key":"env","operator":"In","values":["stage","prod"]},
                                     {"key":"track","operator":"Exists"},{"key":"legacy","operator":"DoesNotExist"}]}
                """)));

    [Fact]
    public void FormatLabelSelector_EmptyOrMissing_IsNone()
    {
        Assert.Equal("<none>", LabelFormatting.FormatLabelSelector(null));
        Assert.Equal("<none>", LabelFormatting.FormatLabelSelector(Parse("{}")));
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}""")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Near"}]}""")]
    public void FormatLabelSelector_Invalid_IsError(string selector)
    {
        Assert.Equal("<error>", LabelFormatting.FormatLabelSelector(Parse(selector)));
        Assert.False(LabelFormatting.TrySelectorString(Parse(selector), out _));
    }
}
