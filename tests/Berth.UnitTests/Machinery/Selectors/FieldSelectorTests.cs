using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;

namespace Berth.UnitTests.Machinery.Selectors;

public sealed class FieldSelectorTests
{
    private static readonly Dictionary<string, string> Pod = new()
    {
        ["metadata.name"] = "nginx",
        ["metadata.namespace"] = "default",
        ["status.phase"] = "Running",
        ["spec.nodeName"] = "node1",
        ["metadata.annotations"] = "a,b=c",
    };

    private static string? Lookup(string field) => Pod.GetValueOrDefault(field);

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=nginx", true)]
    [InlineData("metadata.name==nginx", true)]
    [InlineData("metadata.name=other", false)]
    [InlineData("metadata.name!=other", true)]
    [InlineData("status.phase!=Succeeded,status.phase!=Failed", true)]
    [InlineData("status.phase!=Failed,status.phase!=Running", false)]
    [InlineData("metadata.name=nginx,metadata.namespace=default,spec.nodeName=node1", true)]
    [InlineData("spec.nodeName=node1,metadata.namespace=default,metadata.name=nginx", true)]
    [InlineData("metadata.name=nginx,", true)]
    [InlineData("metadata.annotations=a\\,b\\=c", true)]
    [InlineData("spec.nodeName=", false)]
    public void Matches_Table(string selector, bool expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(Lookup));
    }

    [Fact]
    public void Parse_TermOrder_DoesNotMatter()
    {
        var a = FieldSelector.Parse("involvedObject.name=x,involvedObject.namespace=ns,involvedObject.uid=u");
        var b = FieldSelector.Parse("involvedObject.uid=u,involvedObject.name=x,involvedObject.namespace=ns");
        Assert.Equal(a.ToString(), b.ToString());
        Assert.Equal(a.Requirements, b.Requirements);
    }

    [Fact]
    public void Parse_Requirements_ExposeFieldOperatorAndUnescapedValue()
    {
        var selector = FieldSelector.Parse("b!=x\\\\y,a==v\\,w");
        Assert.Equal(
            [new FieldRequirement("a", SelectorOperator.DoubleEquals, "v,w"), new FieldRequirement("b", SelectorOperator.NotEquals, "x\\y")],
            selector.Requirements);
        Assert.Equal("a=v\\,w,b!=x\\\\y", selector.ToString());
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: =")]
    [InlineData("a=b\\x", "invalid field selector: invalid escape sequence: \\x")]
    [InlineData("a=b\\", "invalid field selector: invalid escape sequence: \\")]
    public void Parse_Malformed_ThrowsBadRequest(string selector, string message)
    {
        var e = Assert.Throws<ApiException>(() => FieldSelector.Parse(selector));
        Assert.Equal(400, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Matches_UnsupportedField_ThrowsBadRequestEvenWhenAnotherTermFails()
    {
        var selector = FieldSelector.Parse("metadata.name=other,spec.bogus=x");
        var e = Assert.Throws<ApiException>(() => selector.Matches(Lookup));
        Assert.Equal(400, e.Code);
        Assert.Equal("field label not supported: spec.bogus", e.Message);
    }

    [Fact]
    public void EnsureSupported_UnknownField_ThrowsBadRequest()
    {
        var selector = FieldSelector.Parse("metadata.name=x,spec.bogus=y");
        var e = Assert.Throws<ApiException>(() => selector.EnsureSupported(Pod.ContainsKey));
        Assert.Equal("field label not supported: spec.bogus", e.Message);
        FieldSelector.Parse("metadata.name=x").EnsureSupported(Pod.ContainsKey);
    }

    [Fact]
    public void UnsupportedFieldLabel_WordedPerKindAsUpstream()
    {
        Assert.Equal("field label not supported: spec.bogus", UnsupportedFieldLabel.Error(KindRegistry.Pods, "spec.bogus").Message);
        Assert.Equal("field label not supported: x", UnsupportedFieldLabel.Error(KindRegistry.Secrets, "x").Message);
        Assert.Equal("field label \"x\" not supported for Job", UnsupportedFieldLabel.Error(KindRegistry.Jobs, "x").Message);
        var e = UnsupportedFieldLabel.Error(KindRegistry.ConfigMaps, "bogus");
        Assert.Equal((400, "\"bogus\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""), (e.Code, e.Message));
        Assert.StartsWith("\"x\" is not a known", UnsupportedFieldLabel.Error(KindRegistry.Deployments, "x").Message);
    }

    [Theory]
    [InlineData("metadata.name=nginx", "nginx")]
    [InlineData("metadata.name==nginx,status.phase=Running", "nginx")]
    [InlineData("metadata.name!=nginx", null)]
    [InlineData("", null)]
    public void RequiresExactMatch_Table(string selector, string? expected)
    {
        Assert.Equal(expected, FieldSelector.Parse(selector).RequiresExactMatch("metadata.name"));
    }

    [Theory]
    [InlineData("a,b=c\\d")]
    [InlineData("")]
    [InlineData("plain")]
    public void Escape_RoundTripsThroughUnescape(string value)
    {
        Assert.Equal(value, FieldSelectorEscaping.Unescape(FieldSelectorEscaping.Escape(value)));
    }
}
