using System.Text.Json.Nodes;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Env;

public sealed class ServiceEnvironmentTests
{
    private static JsonObject Service(string ns, string name, string clusterIP, params (string? Name, long Port, string Protocol)[] ports) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = clusterIP,
            ["ports"] = new JsonArray([.. ports.Select(p =>
            {
                var port = new JsonObject { ["port"] = p.Port, ["protocol"] = p.Protocol };
                if (p.Name is not null)
                {
                    port["name"] = p.Name;
                }
                return (JsonNode)port;
            })]),
        },
    };

    [Fact]
    public void FromServices_UpstreamNamesAndValues()
    {
        var env = ServiceEnvironment.FromServices([Service("ns", "my-svc", "127.96.0.20", ("http-alt", 8080, "TCP"), ("dns", 53, "UDP"))])
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("127.96.0.20", env["MY_SVC_SERVICE_HOST"]);
        Assert.Equal("8080", env["MY_SVC_SERVICE_PORT"]);
        Assert.Equal("8080", env["MY_SVC_SERVICE_PORT_HTTP_ALT"]);
        Assert.Equal("53", env["MY_SVC_SERVICE_PORT_DNS"]);
        Assert.Equal("tcp://127.96.0.20:8080", env["MY_SVC_PORT"]);
        Assert.Equal("tcp://127.96.0.20:8080", env["MY_SVC_PORT_8080_TCP"]);
        Assert.Equal("tcp", env["MY_SVC_PORT_8080_TCP_PROTO"]);
        Assert.Equal("8080", env["MY_SVC_PORT_8080_TCP_PORT"]);
        Assert.Equal("127.96.0.20", env["MY_SVC_PORT_8080_TCP_ADDR"]);
        Assert.Equal("udp://127.96.0.20:53", env["MY_SVC_PORT_53_UDP"]);
        Assert.Equal(13, env.Count);
    }

    [Fact]
    public void FromServices_HeadlessAndExternalName_Skipped()
    {
        var external = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "ext" }, ["spec"] = new JsonObject { ["type"] = "ExternalName" } };
        Assert.Empty(ServiceEnvironment.FromServices([Service("ns", "h", "None", (null, 80, "TCP")), external]));
    }

    [Fact]
    public async Task GetServiceEnvVarMap_NamespaceServicesAndKubernetesAlways()
    {
        var api = new FakeApiClient();
        api.Seed(KindRegistry.Services, Service("default", "kubernetes", "127.96.0.1", ("https", 443, "TCP")));
        api.Seed(KindRegistry.Services, Service("team", "web", "127.96.0.30", (null, 80, "TCP")));
        api.Seed(KindRegistry.Services, Service("other", "db", "127.96.0.31", (null, 5432, "TCP")));
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "team" }, Spec = new V1PodSpec() };
        var env = (await ServiceEnvironment.GetServiceEnvVarMapAsync(api, pod, CancellationToken.None)).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("127.96.0.1", env["KUBERNETES_SERVICE_HOST"]);
        Assert.Equal("443", env["KUBERNETES_SERVICE_PORT"]);
        Assert.Equal("127.96.0.30", env["WEB_SERVICE_HOST"]);
        Assert.DoesNotContain("DB_SERVICE_HOST", env.Keys);

        pod.Spec.EnableServiceLinks = false;
        var linksOff = (await ServiceEnvironment.GetServiceEnvVarMapAsync(api, pod, CancellationToken.None)).Select(kv => kv.Key).ToList();
        Assert.Contains("KUBERNETES_SERVICE_HOST", linksOff);
        Assert.DoesNotContain("WEB_SERVICE_HOST", linksOff);
    }

    [Fact]
    public async Task Resolve_ExplicitEnvWins_ServiceVariablesExpand()
    {
        var api = new FakeApiClient();
        api.Seed(KindRegistry.Services, Service("default", "web", "127.96.0.30", (null, 80, "TCP")));
        var resolver = new EnvironmentResolver(api, new RecordingEventRecorder(TimeProvider.System), new NodeAllocatable(1, 1L << 30, 1L << 30));
        var container = new V1Container
        {
            Name = "c",
            Env = [new V1EnvVar { Name = "WEB_SERVICE_PORT", Value = "9999" }, new V1EnvVar { Name = "URL", Value = "http://$(WEB_SERVICE_HOST)/" }],
        };
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default" }, Spec = new V1PodSpec { Containers = [container] } };
        var env = (await resolver.ResolveAsync(pod, container, ["127.1.0.9"], "127.0.0.1", CancellationToken.None)).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("9999", env["WEB_SERVICE_PORT"]);
        Assert.Equal("http://127.96.0.30/", env["URL"]);
        Assert.Equal("127.96.0.30", env["WEB_SERVICE_HOST"]);
    }
}
