using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Selectors;

namespace Berth.UnitTests.Machinery.Selectors;

public sealed class LabelSelectorMatchTests
{
    private static readonly Dictionary<string, string> Web = new() { ["app"] = "web", ["tier"] = "front", ["n"] = "7" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app=db", false)]
    [InlineData("app!=db", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (db,web)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("missing in (x)", false)]
    [InlineData("app notin (db)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("app", true)]
    [InlineData("missing", false)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("app=web,tier=front", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("n>6", true)]
    [InlineData("n>7", false)]
    [InlineData("n<8", true)]
    [InlineData("app>1", false)]
    [InlineData("missing=", false)]
    public void Matches_Table(string selector, bool expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Web));
    }

    [Fact]
    public void Matches_NullLabels_TreatedAsEmpty()
    {
        Assert.True(LabelSelector.Parse("!a").Matches(null));
        Assert.False(LabelSelector.Parse("a").Matches(null));
        Assert.True(LabelSelector.Everything.Matches(null));
    }

    [Fact]
    public void Nothing_MatchesNoLabelsAndPrintsEmpty()
    {
        Assert.False(LabelSelector.Nothing.Matches(Web));
        Assert.False(LabelSelector.Nothing.Matches(new Dictionary<string, string>()));
        Assert.Equal("", LabelSelector.Nothing.ToString());
        Assert.True(LabelSelector.Nothing.IsNothing);
        Assert.False(LabelSelector.Nothing.IsEmpty);
    }

    [Fact]
    public void FromLabelSelectorJson_Null_IsNothingAndEmptyObject_IsEverything()
    {
        Assert.Same(LabelSelector.Nothing, LabelSelector.FromLabelSelectorJson(null));
        Assert.Same(LabelSelector.Everything, LabelSelector.FromLabelSelectorJson(new JsonObject()));
        Assert.Same(LabelSelector.Everything, LabelSelector.FromLabelSelectorJson(JsonNode.Parse("""{"matchLabels":{},"matchExpressions":[]}""")!.AsObject()));
    }

    [Fact]
    public void FromLabelSelectorJson_LabelsAndExpressions_CombineAndPrintSorted()
    {
        var json = JsonNode.Parse("""
            {"matchLabels":{"tier":"front","app":"web"},
             "matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]},
                                 {"key":"zone","operator":"NotIn","values":["b"]},
                                 {"key":"canary","operator":"DoesNotExist"},
                                 {"key":"team","operator":"Exists"}]}
            """)!.AsObject();
        var selector = LabelSelector.FromLabelSelectorJson(json);
        Assert.Equal("app=web,!canary,env in (dev,prod),team,tier=front,zone notin (b)", selector.ToString());
        Assert.False(selector.Matches(Web));
        var match = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front", ["env"] = "dev", ["team"] = "x" };
        Assert.True(selector.Matches(match));
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Foo"}]}""", "\"Foo\" is not a valid label selector operator")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}""", "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""", "values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist")]
    [InlineData("""{"matchLabels":{"a b":"x"}}""", "key: Invalid value: \"a b\": name part must consist")]
    public void FromLabelSelectorJson_Invalid_ThrowsBadRequest(string json, string fragment)
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.FromLabelSelectorJson(JsonNode.Parse(json)!.AsObject()));
        Assert.Equal(400, e.Code);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMatchLabels_SortsByKeyForScaleSelector()
    {
        var selector = LabelSelector.FromMatchLabels(new Dictionary<string, string> { ["tier"] = "a", ["app"] = "web2" });
        Assert.Equal("app=web2,tier=a", selector.ToString());
        Assert.Same(LabelSelector.Everything, LabelSelector.FromMatchLabels(null));
    }

    [Fact]
    public void MatchesObject_ReadsMetadataLabels()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","labels":{"app":"web"}}}""")!.AsObject();
        Assert.True(LabelSelector.Parse("app=web").MatchesObject(pod));
        Assert.False(LabelSelector.Parse("app=db").MatchesObject(pod));
        Assert.True(LabelSelector.Parse("!app").MatchesObject(new JsonObject()));
    }

    [Theory]
    [InlineData("app=web", "web")]
    [InlineData("app==web", "web")]
    [InlineData("app in (web)", "web")]
    [InlineData("app in (web,db)", null)]
    [InlineData("app!=web", null)]
    [InlineData("other=x", null)]
    public void RequiresExactMatch_Table(string selector, string? expected)
    {
        Assert.Equal(expected, LabelSelector.Parse(selector).RequiresExactMatch("app"));
    }
}
