using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Yaml;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>Apply bodies sent as YAML (<c>application/apply-patch+yaml</c>) by non-kubectl clients.</summary>
public sealed class YamlToJsonTests
{
    [Fact]
    public void Convert_Manifest_TypesScalarsLikeKubernetes()
    {
        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {app: web, "tier": '1'}
              annotations:
                note: |
                  line1
                  line2
            spec:
              replicas: 3
              paused: false
              progressDeadlineSeconds: 0x10
              ratio: 1.5
              nothing: ~
              empty:
              template:
                spec:
                  containers:
                  - name: web
                    image: nginx:1.26
                    args: ["--port", "8080", yes]
                    env:
                    - {name: A, value: "007"}
            """;
        var expected = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","labels":{"app":"web","tier":"1"},"annotations":{"note":"line1\nline2\n"}},
             "spec":{"replicas":3,"paused":false,"progressDeadlineSeconds":16,"ratio":1.5,"nothing":null,"empty":null,
               "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26","args":["--port","8080","yes"],
                 "env":[{"name":"A","value":"007"}]}]}}}}
            """);
        var actual = YamlToJson.Convert(yaml);
        Assert.True(JsonNode.DeepEquals(expected, actual), actual!.ToJsonString());
    }

    [Fact]
    public void Convert_Json_IsUnchanged()
    {
        var json = """{"a":[1,2.5,"x",true,null,{"b":{}}],"c":"-1"}""";
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), YamlToJson.Convert(json)));
    }

    [Theory]
    [InlineData("a: !!str 12", """{"a":"12"}""")]
    [InlineData("a: !!int '12'", """{"a":12}""")]
    [InlineData("a: !!float '1'", """{"a":1}""")]
    [InlineData("a: -12", """{"a":-12}""")]
    [InlineData("a: 1e3", """{"a":1000}""")]
    [InlineData("a: 1.2.3", """{"a":"1.2.3"}""")]
    [InlineData("a: 0o17", """{"a":15}""")]
    [InlineData("a: True", """{"a":true}""")]
    [InlineData("a: &x [1]\nb: *x", """{"a":[1],"b":[1]}""")]
    [InlineData("'1': x", """{"1":"x"}""")]
    public void Convert_Scalars(string yaml, string json)
    {
        var actual = YamlToJson.Convert(yaml);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), actual), actual?.ToJsonString());
    }

    [Fact]
    public void Convert_Empty_ReturnsNull()
    {
        Assert.Null(YamlToJson.Convert(""));
        Assert.Null(YamlToJson.Convert("# only a comment\n"));
    }

    [Theory]
    [InlineData("a: [1, 2")]
    [InlineData("a: b: c")]
    [InlineData("a: 1\na: 2")]
    [InlineData("? [a]\n: 1")]
    [InlineData("a: *missing")]
    [InlineData("a: 1\n---\nb: 2")]
    [InlineData("a: !!int x")]
    [InlineData("a: !!bool maybe")]
    [InlineData("a: .inf")]
    [InlineData("a: \"unterminated")]
    public void Convert_Malformed_ThrowsBadRequest(string yaml)
    {
        var e = Assert.Throws<ApiException>(() => YamlToJson.Convert(yaml));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void Convert_AliasBomb_ThrowsBadRequest()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"a{i}: &a{i} [" + string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10)) + "]");
        }
        var e = Assert.Throws<ApiException>(() => YamlToJson.Convert(string.Join("\n", lines)));
        Assert.Equal(400, e.Code);
    }
}
