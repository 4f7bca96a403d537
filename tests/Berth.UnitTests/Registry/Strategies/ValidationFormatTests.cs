using Berth.Registry.Validation;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class ValidationFormatTests
{
    [Fact]
    public void IsDns1123Subdomain_Uppercase_UpstreamMessage()
    {
        Assert.Equal(
            ["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            NameValidation.IsDns1123Subdomain("Example.com"));
    }

    [Theory]
    [InlineData("web", 0)]
    [InlineData("web.example.com", 0)]
    [InlineData("web-", 1)]
    [InlineData("web\n", 1)]
    [InlineData("", 1)]
    public void IsDns1123Subdomain_Values_ErrorCount(string value, int errors)
    {
        Assert.Equal(errors, NameValidation.IsDns1123Subdomain(value).Count);
    }

    [Fact]
    public void IsDns1123Label_TooLong_MaxLenAndNoRegexError()
    {
        Assert.Equal(["must be no more than 63 characters"], NameValidation.IsDns1123Label(new string('a', 64)));
    }

    [Theory]
    [InlineData("web-", true)]
    [InlineData("web-x", true)]
    [InlineData("-web", false)]
    public void NameIsDnsSubdomain_GenerateNamePrefix_TrailingDashAllowed(string prefix, bool valid)
    {
        Assert.Equal(valid, NameValidation.NameIsDnsSubdomain(prefix, prefix: true).Count == 0);
    }

    [Fact]
    public void IsQualifiedName_BadPrefixAndName_BothReported()
    {
        var errors = QualifiedNameValidation.IsQualifiedName("Bad_Prefix/-x");

        Assert.Equal(2, errors.Count);
        Assert.StartsWith("prefix part a lowercase RFC 1123 subdomain", errors[0]);
        Assert.Equal("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')", errors[1]);
    }

    [Fact]
    public void IsQualifiedName_TwoSlashes_QualifiedNameMessage()
    {
        var error = Assert.Single(QualifiedNameValidation.IsQualifiedName("a/b/c"));
        Assert.EndsWith("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')", error);
    }

    [Theory]
    [InlineData("key.name", 0)]
    [InlineData("a b", 1)]
    [InlineData("..", 1)]
    [InlineData("..x", 1)]
    public void IsConfigMapKey_Values_ErrorCount(string key, int errors)
    {
        Assert.Equal(errors, QualifiedNameValidation.IsConfigMapKey(key).Count);
    }

    [Theory]
    [InlineData("http", 0)]
    [InlineData("8080", 1)]
    [InlineData("a--b", 1)]
    [InlineData("very-long-port-name", 1)]
    public void IsValidPortName_Values_ErrorCount(string name, int errors)
    {
        Assert.Equal(errors, QualifiedNameValidation.IsValidPortName(name).Count);
    }

    [Theory]
    [InlineData("100m", 0.1)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("2", 2)]
    [InlineData("1e3", 1000)]
    public void QuantityTryParse_ValidQuantities_Parsed(string text, double expected)
    {
        Assert.Equal((decimal)expected, QuantityValidation.TryParse(text));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1Gb")]
    [InlineData("")]
    public void QuantityTryParse_Invalid_Null(string text)
    {
        Assert.Null(QuantityValidation.TryParse(text));
    }
}
