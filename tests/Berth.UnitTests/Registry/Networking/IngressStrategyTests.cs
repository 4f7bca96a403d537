using Berth.Registry.Networking;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Networking;

/// <summary>Ingress and IngressClass validation (upstream ValidateIngressCreate, ValidateIngressClass) and DefaultIngressClass.</summary>
public sealed class IngressStrategyTests
{
    private const string Backend = """{"service":{"name":"web","port":{"number":80}}}""";

    private static string Ingress(string spec, string annotations = "{}") =>
        """{"metadata":{"name":"ing","namespace":"default","annotations":""" + annotations + """},"spec":""" + spec + "}";

    private static string Rule(string path) => """{"rules":[{"host":"a.example","http":{"paths":[""" + path + "]}}]}";

    [Fact]
    public void Create_EmptyLoadBalancerStatus_GenerationTracked()
    {
        var ing = Parse(Ingress("""{"defaultBackend":""" + Backend + "}"));
        ing["status"] = Parse("""{"loadBalancer":{"ingress":[{"ip":"1.2.3.4"}]}}""");

        Assert.Empty(Create(new IngressStrategy(), ing));

        Assert.Equal("""{"loadBalancer":{}}""", ing["status"]!.ToJsonString());
        Assert.True(new IngressStrategy().TracksGeneration);
    }

    [Theory]
    [InlineData("{}", "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified")]
    [InlineData("""{"rules":[]}""", "spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified")]
    [InlineData("""{"rules":[{"host":"10.0.0.1"}]}""", "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address")]
    [InlineData("""{"rules":[{"host":"*.a.*.example"}]}""", "spec.rules[0].host: Invalid value: \"*.a.*.example\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]
    [InlineData("""{"rules":[{"http":{"paths":[]}}]}""", "spec.rules[0].http.paths: Required value")]
    [InlineData("""{"rules":[{"http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""", "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified")]
    [InlineData("""{"rules":[{"http":{"paths":[{"path":"/","pathType":"Regex","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""", "spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"")]
    [InlineData("""{"rules":[{"http":{"paths":[{"path":"web","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""", "spec.rules[0].http.paths[0].path: Invalid value: \"web\": must be an absolute path")]
    [InlineData("""{"rules":[{"http":{"paths":[{"path":"/a/..","pathType":"Exact","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""", "spec.rules[0].http.paths[0].path: Invalid value: \"/a/..\": cannot end with '/..'")]
    [InlineData("""{"defaultBackend":{}}""", "spec.defaultBackend: Invalid value: \"\": resource or service backend is required")]
    [InlineData("""{"defaultBackend":{"service":{"name":"web"}}}""", "spec.defaultBackend: Required value: port name or number is required")]
    [InlineData("""{"defaultBackend":{"service":{"name":"web","port":{"name":"http","number":80}}}}""", "spec.defaultBackend: Invalid value: \"\": cannot set both port name & port number")]
    [InlineData("""{"defaultBackend":{"service":{"name":"","port":{"number":70000}}}}""", "spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"defaultBackend":{"resource":{"kind":"Bucket"}}}""", "spec.defaultBackend.resource.name: Required value: name is required")]
    [InlineData("""{"defaultBackend":{"resource":{"kind":"B","name":"b"},"service":{"name":"s","port":{"number":1}}}}""", "spec.defaultBackend: Invalid value: \"\": cannot set both resource and service backends")]
    [InlineData("""{"defaultBackend":{"service":{"name":"web","port":{"number":80}}},"tls":[{"hosts":["Bad_Host"],"secretName":"Bad"}]}""", "spec.tls[0].secretName: Invalid value: \"Bad\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]
    [InlineData("""{"defaultBackend":{"service":{"name":"web","port":{"number":80}}},"ingressClassName":"Nginx"}""", "spec.ingressClassName: Invalid value: \"Nginx\"")]
    public void Validate_RejectsWithUpstreamMessage(string spec, string expected) =>
        Assert.Contains(Create(new IngressStrategy(), Parse(Ingress(spec))), e => e.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Validate_ClassAnnotationMustMatchClassName() =>
        Assert.Contains("annotations.kubernetes.io/ingress.class: Invalid value: \"a\": must match `ingressClassName` when both are specified",
            Create(new IngressStrategy(), Parse(Ingress("""{"ingressClassName":"b","defaultBackend":""" + Backend + "}", """{"kubernetes.io/ingress.class":"a"}"""))));

    [Theory]
    [InlineData("""{"path":"/","pathType":"Prefix","backend":""" + Backend + "}")]
    [InlineData("""{"pathType":"ImplementationSpecific","backend":""" + Backend + "}")]
    [InlineData("""{"path":"/x","pathType":"Exact","backend":{"service":{"name":"web","port":{"name":"http"}}}}""")]
    public void Validate_AcceptsValidPaths(string path) =>
        Assert.Empty(Create(new IngressStrategy(), Parse(Ingress(Rule(path)))));

    [Theory]
    [InlineData("""{}""", "spec.controller: Required value")]
    [InlineData("""{"controller":"nginx"}""", "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")")]
    [InlineData("""{"controller":"example.com/x","parameters":{"kind":"P","name":"p","scope":"Namespace"}}""", "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'")]
    [InlineData("""{"controller":"example.com/x","parameters":{"kind":"P","name":"p","namespace":"n"}}""", "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'")]
    [InlineData("""{"controller":"example.com/x","parameters":{"kind":"P","name":"p","scope":"Galaxy"}}""", "spec.parameters.scope: Unsupported value: \"Galaxy\": supported values: \"Cluster\", \"Namespace\"")]
    public void IngressClass_RejectsWithUpstreamMessage(string spec, string expected) =>
        Assert.Contains(expected, Create(new IngressClassStrategy(), Parse("""{"metadata":{"name":"c"},"spec":""" + spec + "}")));

    [Fact]
    public void IngressClass_ScopeDefaultsToCluster_ControllerImmutable()
    {
        var strategy = new IngressClassStrategy();
        var ic = Parse("""{"metadata":{"name":"c","resourceVersion":"1"},"spec":{"controller":"example.com/x","parameters":{"kind":"P","name":"p"}}}""");

        Assert.Empty(Create(strategy, ic));

        Assert.Equal("Cluster", (string?)ic["spec"]!["parameters"]!["scope"]);
        Assert.Contains("spec.controller: Invalid value: \"example.com/y\": field is immutable",
            Update(strategy, With(ic, o => o["spec"]!["controller"] = "example.com/y"), ic));
    }

    [Fact]
    public void DefaultIngressClass_PicksTheNewestDefault_OnlyWhenNoClassIsNamed()
    {
        var classes = new[]
        {
            Parse("""{"metadata":{"name":"old","creationTimestamp":"2026-01-01T00:00:00Z","annotations":{"ingressclass.kubernetes.io/is-default-class":"true"}}}"""),
            Parse("""{"metadata":{"name":"new","creationTimestamp":"2026-02-01T00:00:00Z","annotations":{"ingressclass.kubernetes.io/is-default-class":"true"}}}"""),
            Parse("""{"metadata":{"name":"newest","creationTimestamp":"2026-03-01T00:00:00Z"}}"""),
        };
        var unnamed = Parse(Ingress("{}"));
        var annotated = Parse(Ingress("{}", """{"kubernetes.io/ingress.class":"x"}"""));

        Assert.True(DefaultIngressClassAdmission.NeedsClass(unnamed));
        DefaultIngressClassAdmission.Admit(unnamed, classes);

        Assert.Equal("new", (string?)unnamed["spec"]!["ingressClassName"]);
        Assert.False(DefaultIngressClassAdmission.NeedsClass(annotated));
        Assert.False(DefaultIngressClassAdmission.NeedsClass(unnamed));
    }
}
