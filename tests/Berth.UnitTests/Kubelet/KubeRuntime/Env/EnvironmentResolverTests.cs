using System.Text.Json.Nodes;
using Berth.Kubelet.KubeRuntime.Env;
using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.KubeRuntime.Env;

/// <summary>makeEnvironmentVariables: values, downward API, resources, ConfigMaps/Secrets, envFrom.</summary>
public sealed class EnvironmentResolverTests
{
    private readonly FakeApiClient _api = new();
    private readonly RecordingEventRecorder _events = new(TimeProvider.System);
    private readonly EnvironmentResolver _resolver;

    public EnvironmentResolverTests()
    {
        _resolver = new EnvironmentResolver(_api, _events, new NodeAllocatable(4, 8L * 1024 * 1024 * 1024, 100L * 1024 * 1024 * 1024));
        _api.Seed(KindRegistry.ConfigMaps, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "cm", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["color"] = "blue", ["size"] = "L", ["bad=key"] = "x" },
        });
        _api.Seed(KindRegistry.Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "sec", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["password"] = Convert.ToBase64String("s3cret"u8.ToArray()) },
        });
    }

    [Fact]
    public async Task Resolve_ValuesAndDownwardApi_ExpandedInOrder()
    {
        var pod = TestPods.Pod();
        pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        pod.Metadata.Annotations = new Dictionary<string, string> { ["team"] = "core" };
        pod.Spec.ServiceAccountName = "builder";
        var container = TestPods.Container("app");
        container.Env =
        [
            Value("A", "one"),
            Value("B", "$(A)-two"),
            Value("C", "$$(A) $(MISSING)"),
            Field("NAME", "metadata.name"),
            Field("NS", "metadata.namespace"),
            Field("UID", "metadata.uid"),
            Field("LABEL", "metadata.labels['app']"),
            Field("NOTE", "metadata.annotations['team']"),
            Field("NODE", "spec.nodeName"),
            Field("SA", "spec.serviceAccountName"),
            Field("POD_IP", "status.podIP"),
            Field("HOST_IP", "status.hostIP"),
            Value("A", "override"),
        ];

        var env = await Resolve(pod, container);

        Assert.Equal("override", env["A"]);
        Assert.Equal("one-two", env["B"]);
        Assert.Equal("$(A) $(MISSING)", env["C"]);
        Assert.Equal(("web", "default", pod.Metadata.Uid), (env["NAME"], env["NS"], env["UID"]));
        Assert.Equal(("web", "core", TestPods.Node, "builder"), (env["LABEL"], env["NOTE"], env["NODE"], env["SA"]));
        Assert.Equal(("127.1.0.9", "127.0.0.1"), (env["POD_IP"], env["HOST_IP"]));
    }

    [Fact]
    public async Task Resolve_ResourceFieldRefs_DividedAndRoundedUp()
    {
        var container = TestPods.Container("app");
        container.Resources = new V1ResourceRequirements
        {
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("129Mi"), ["cpu"] = new("1500m") },
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") },
        };
        container.Env =
        [
            Resource("MEM_MI", "limits.memory", "1Mi"),
            Resource("CPU", "limits.cpu", null),
            Resource("CPU_M", "requests.cpu", "1m"),
            Resource("NODE_MEM", "requests.memory", null),
        ];
        var pod = TestPods.Pod("web", container);

        var env = await Resolve(pod, container);

        Assert.Equal(("129", "2", "250", "0"), (env["MEM_MI"], env["CPU"], env["CPU_M"], env["NODE_MEM"]));
    }

    [Fact]
    public async Task Resolve_UnsetLimit_NodeAllocatable()
    {
        var container = TestPods.Container("app");
        container.Env = [Resource("CPUS", "limits.cpu", null)];

        Assert.Equal("4", (await Resolve(TestPods.Pod("web", container), container))["CPUS"]);
    }

    [Fact]
    public async Task Resolve_ConfigMapAndSecretKeys_ValuesDecoded()
    {
        var container = TestPods.Container("app");
        container.Env =
        [
            new V1EnvVar { Name = "COLOR", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cm", Key = "color" } } },
            new V1EnvVar { Name = "PW", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "sec", Key = "password" } } },
            new V1EnvVar { Name = "OPT", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "nope", Key = "k", Optional = true } } },
            new V1EnvVar { Name = "OPTKEY", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "cm", Key = "k", Optional = true } } },
        ];

        var env = await Resolve(TestPods.Pod("web", container), container);

        Assert.Equal(("blue", "s3cret"), (env["COLOR"], env["PW"]));
        Assert.False(env.ContainsKey("OPT"));
        Assert.False(env.ContainsKey("OPTKEY"));
    }

    [Theory]
    [InlineData("missing", "color", "configmap \"missing\" not found")]
    [InlineData("cm", "nokey", "couldn't find key nokey in ConfigMap default/cm")]
    public async Task Resolve_MissingNonOptional_ContainerConfigException(string name, string key, string message)
    {
        var container = TestPods.Container("app");
        container.Env = [new V1EnvVar { Name = "X", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = name, Key = key } } }];

        var error = await Assert.ThrowsAsync<ContainerConfigException>(() => Resolve(TestPods.Pod("web", container), container));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task Resolve_EnvFromWithPrefix_InvalidKeysSkippedWithEvent()
    {
        var container = TestPods.Container("app");
        container.EnvFrom =
        [
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = "cm" }, Prefix = "CM_" },
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = "sec" } },
        ];
        container.Env = [Value("CM_color", "red")];

        var env = await Resolve(TestPods.Pod("web", container), container);

        Assert.Equal(("red", "L", "s3cret"), (env["CM_color"], env["CM_size"], env["password"]));
        Assert.False(env.ContainsKey("CM_bad=key"));
        var warning = Assert.Single(_events.WithReason("InvalidEnvironmentVariableNames"));
        Assert.Equal("Keys [CM_bad=key] from the EnvFrom configMap default/cm were skipped since they are considered invalid environment variable names.", warning.Message);
    }

    private async Task<Dictionary<string, string>> Resolve(V1Pod pod, V1Container container) =>
        (await _resolver.ResolveAsync(pod, container, ["127.1.0.9"], "127.0.0.1", CancellationToken.None)).ToDictionary(p => p.Key, p => p.Value);

    private static V1EnvVar Value(string name, string value) => new() { Name = name, Value = value };

    private static V1EnvVar Field(string name, string path) => new()
    {
        Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } },
    };

    private static V1EnvVar Resource(string name, string resource, string? divisor) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource
        {
            ResourceFieldRef = new V1ResourceFieldSelector { Resource = resource, Divisor = divisor is null ? null : new ResourceQuantity(divisor) },
        },
    };
}
