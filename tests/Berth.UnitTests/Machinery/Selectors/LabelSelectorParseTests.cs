using Berth.Machinery.Errors;
using Berth.Machinery.Selectors;

namespace Berth.UnitTests.Machinery.Selectors;

public sealed class LabelSelectorParseTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("a=b", "a=b")]
    [InlineData("a==b", "a==b")]
    [InlineData("a!=b", "a!=b")]
    [InlineData("a", "a")]
    [InlineData("!a", "!a")]
    [InlineData("a in (y,x)", "a in (x,y)")]
    [InlineData("a notin (x)", "a notin (x)")]
    [InlineData("  z = 1 ,  a in ( x , y ) , !b ", "a in (x,y),!b,z=1")]
    [InlineData("tier in (b,a),app=web", "app=web,tier in (a,b)")]
    [InlineData("x in (foo,,baz),y,z notin ()", "x in (,baz,foo),y,z notin ()")]
    [InlineData("a=", "a=")]
    [InlineData("example.com/app=web", "example.com/app=web")]
    [InlineData("a>5", "a>5")]
    [InlineData("a<5", "a<5")]
    [InlineData("in in (in,notin)", "in in (in,notin)")]
    [InlineData("a in (x,x,y)", "a in (x,y)")]
    public void Parse_ValidSelector_PrintsCanonicalForm(string input, string canonical)
    {
        Assert.Equal(canonical, LabelSelector.Parse(input).ToString());
    }

    [Theory]
    [InlineData("a=b c", "found 'c', expected: ',' or 'end of string'")]
    [InlineData("a=b,", "found '', expected: identifier after ','")]
    [InlineData(",a", "found ',', expected: !, identifier, or 'end of string'")]
    [InlineData("a in x", "unable to parse requirement: found 'x' expected: '('")]
    [InlineData("a in (x", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("a x", "unable to parse requirement: found 'x', expected: in, notin, =, ==, !=, >, <")]
    [InlineData("a>x", "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer")]
    [InlineData("!", "unable to parse requirement: found '', expected: identifier")]
    public void Parse_MalformedSelector_ThrowsBadRequestWithUpstreamMessage(string input, string message)
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse(input));
        Assert.Equal(400, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("-a=b", "<nil>: Invalid value: \"-a\": name part must consist")]
    [InlineData("a=-b", "values[0][a]: Invalid value: \"-b\": a valid label must be an empty string")]
    [InlineData("a/b/c", "a qualified name must consist")]
    [InlineData("/a", "prefix part must be non-empty")]
    [InlineData("Example.com/a", "prefix part a lowercase RFC 1123 subdomain")]
    public void Parse_InvalidKeyOrValue_ThrowsBadRequestNamingTheRule(string input, string fragment)
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse(input));
        Assert.Equal(400, e.Code);
        Assert.StartsWith("unable to parse requirement: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyTooLong_ThrowsMaxLengthError()
    {
        var e = Assert.Throws<ApiException>(() => LabelSelector.Parse(new string('a', 64) + "=b"));
        Assert.Contains("name part must be no more than 63 characters", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ValueWithTrailingNewline_IsRejected()
    {
        Assert.Throws<ApiException>(() => LabelSelector.Parse("a in (b\n)x"));
        Assert.Throws<ApiException>(() => LabelSelector.FromMatchLabels(new Dictionary<string, string> { ["a"] = "b\n" }));
    }

    [Fact]
    public void Parse_Requirements_AreSortedByKeyWithSortedValues()
    {
        var selector = LabelSelector.Parse("b in (z,y),a=1");
        Assert.Equal(["a", "b"], selector.Requirements.Select(r => r.Key));
        Assert.Equal(SelectorOperator.In, selector.Requirements[1].Operator);
        Assert.Equal(["y", "z"], selector.Requirements[1].Values);
    }
}
