using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Pods;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class PodValidationTests
{
    private const string Container = """{"name":"app","image":"nginx:1.25"}""";

    private static JsonObject PodWith(string specFields) =>
        Parse("""{"metadata":{"name":"web","namespace":"default"},"spec":{""" + specFields + "}}");

    [Fact]
    public void Validate_MinimalPod_NoErrors()
    {
        Assert.Empty(Create(new PodStrategy(), PodWith("\"containers\":[" + Container + "]")));
    }

    public static TheoryData<string, string> InvalidPods => new()
    {
        { "\"containers\":[]", "spec.containers: Required value" },
        { """ "containers":[{"image":"x"}] """, "spec.containers[0].name: Required value" },
        {
            """ "containers":[{"name":"App","image":"x"}] """,
            "spec.containers[0].name: Invalid value: \"App\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
        },
        { """ "containers":[{"name":"a"}] """, "spec.containers[0].image: Required value" },
        { """ "containers":[{"name":"a","image":"x"},{"name":"a","image":"y"}] """, "spec.containers[1].name: Duplicate value: \"a\"" },
        { """ "containers":[{"name":"a","image":"x"}],"initContainers":[{"name":"a","image":"y"}] """, "spec.initContainers[0].name: Duplicate value: \"a\"" },
        { """ "containers":[{"name":"a","image":"x","ports":[{"containerPort":70000}]}] """, "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive" },
        { """ "containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"name":"http_web"}]}] """, "spec.containers[0].ports[0].name: Invalid value: \"http_web\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)" },
        { """ "containers":[{"name":"a","image":"x","ports":[{"containerPort":80,"protocol":"HTTP"}]}] """, "spec.containers[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"" },
        { """ "containers":[{"name":"a","image":"x","livenessProbe":{"exec":{"command":["true"]},"httpGet":{"port":80}}}] """, "spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type" },
        { """ "containers":[{"name":"a","image":"x","readinessProbe":{"periodSeconds":5}}] """, "spec.containers[0].readinessProbe: Required value: must specify a handler type" },
        { """ "containers":[{"name":"a","image":"x","livenessProbe":{"tcpSocket":{"port":80},"successThreshold":2}}] """, "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1" },
        {
            """ "terminationGracePeriodSeconds":5,"containers":[{"name":"a","image":"x","lifecycle":{"preStop":{"sleep":{"seconds":10}}}}] """,
            "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 10: must be non-negative and less than terminationGracePeriodSeconds (5)"
        },
        { """ "restartPolicy":"Sometimes","containers":[{"name":"a","image":"x"}] """, "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"" },
        { """ "containers":[{"name":"a","image":"x"}],"initContainers":[{"name":"i","image":"y","restartPolicy":"Never"}] """, "spec.initContainers[0].restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"" },
        { """ "containers":[{"name":"a","image":"x"}],"initContainers":[{"name":"i","image":"y","readinessProbe":{"exec":{"command":["x"]}}}] """, "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always" },
        { """ "containers":[{"name":"a","image":"x","resources":{"limits":{"cpu":"1"},"requests":{"cpu":"2"}}}] """, "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1" },
        { """ "containers":[{"name":"a","image":"x","resources":{"limits":{"cpu":"abc"}}}] """, "spec.containers[0].resources.limits[cpu]: Invalid value: \"abc\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'" },
        { """ "containers":[{"name":"a","image":"x","resources":{"requests":{"memory":"-1Gi"}}}] """, "spec.containers[0].resources.requests[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0" },
        { """ "containers":[{"name":"a","image":"x","volumeMounts":[{"name":"data","mountPath":"/d"}]}] """, "spec.containers[0].volumeMounts[0].name: Not found: \"data\"" },
        { """ "containers":[{"name":"a","image":"x","env":[{"name":"A=B","value":"1"}]}] """, "spec.containers[0].env[0].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='" },
        { """ "activeDeadlineSeconds":0,"containers":[{"name":"a","image":"x"}] """, "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive" },
    };

    [Theory]
    [MemberData(nameof(InvalidPods))]
    public void Validate_InvalidSpec_ReportsUpstreamFieldAndMessage(string specFields, string expected)
    {
        var errors = Create(new PodStrategy(), PodWith(specFields));

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void Validate_PreStopSleepEqualToGrace_Accepted()
    {
        var pod = PodWith(""" "terminationGracePeriodSeconds":5,"containers":[{"name":"a","image":"x","lifecycle":{"preStop":{"sleep":{"seconds":5}}}}] """);

        Assert.Empty(Create(new PodStrategy(), pod));
    }

    [Fact]
    public void Validate_MissingName_RequiresNameOrGenerateName()
    {
        var pod = Parse("""{"metadata":{"namespace":"default"},"spec":{"containers":[{"name":"a","image":"x"}]}}""");

        Assert.Equal(["metadata.name: Required value: name or generateName is required"], Create(new PodStrategy(), pod));
    }

    [Fact]
    public void Validate_BadLabelValue_ReportsAtMetadataLabels()
    {
        var pod = Parse("""{"metadata":{"name":"p","namespace":"default","labels":{"app":"-bad"}},"spec":{"containers":[{"name":"a","image":"x"}]}}""");

        Assert.Equal(
            ["metadata.labels: Invalid value: \"-bad\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"],
            Create(new PodStrategy(), pod));
    }

    [Fact]
    public void Validate_MissingNamespace_Required()
    {
        var pod = Parse("""{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"}]}}""");

        Assert.Equal(["metadata.namespace: Required value"], Create(new PodStrategy(), pod));
    }

    [Fact]
    public void ValidateUpdate_ImageChange_Allowed()
    {
        var strategy = new PodStrategy();
        var old = PodWith("\"containers\":[" + Container + "]");
        Create(strategy, old);
        var updated = With(old, p => p.GetArray("spec", "containers")![0]!["image"] = "nginx:1.27");

        Assert.Empty(Update(strategy, updated, old));
    }

    [Fact]
    public void ValidateUpdate_PortChange_ForbiddenWithUpstreamMessage()
    {
        var strategy = new PodStrategy();
        var old = PodWith("\"containers\":[" + Container + "]");
        Create(strategy, old);
        var updated = With(old, p => p.GetArray("spec", "containers")![0]!["ports"] = JsonNode.Parse("""[{"containerPort":8080}]"""));

        var error = Assert.Single(Update(strategy, updated, old));
        Assert.StartsWith("spec: Forbidden: " + PodUpdateValidation.ForbiddenUpdateMessage + "\n", error);
        Assert.Contains("spec.containers[0].ports", error);
    }

    [Fact]
    public void ValidateUpdate_AddedToleration_AllowedButChangedOneForbidden()
    {
        var strategy = new PodStrategy();
        var old = PodWith(""" "tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule"}],"containers":[""" + Container + "]");
        Create(strategy, old);
        var added = With(old, p => p.GetArray("spec", "tolerations")!.Add(JsonNode.Parse("""{"key":"k2","operator":"Exists","effect":"NoSchedule"}""")));
        var changed = With(old, p => p.GetArray("spec", "tolerations")![0]!["key"] = "other");

        Assert.Empty(Update(strategy, added, old));
        Assert.Contains("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds", Update(strategy, changed, old));
    }

    [Fact]
    public void ValidateUpdate_ContainerAdded_Forbidden()
    {
        var strategy = new PodStrategy();
        var old = PodWith("\"containers\":[" + Container + "]");
        Create(strategy, old);
        var updated = With(old, p => p.GetArray("spec", "containers")!.Add(JsonNode.Parse("""{"name":"b","image":"x"}""")));

        Assert.Contains("spec.containers: Forbidden: pod updates may not add or remove containers", Update(strategy, updated, old));
    }

    [Fact]
    public void ValidateUpdate_NameChanged_Immutable()
    {
        var strategy = new PodStrategy();
        var old = PodWith("\"containers\":[" + Container + "]");
        Create(strategy, old);
        var updated = With(old, p => p.Metadata()["name"] = "other");

        Assert.Contains("metadata.name: Invalid value: \"other\": field is immutable", Update(strategy, updated, old));
    }

    [Fact]
    public void ValidateUpdate_StatusInBody_IgnoredOnMainResource()
    {
        var strategy = new PodStrategy();
        var old = PodWith("\"containers\":[" + Container + "]");
        Create(strategy, old);
        var updated = With(old, p => p["status"] = JsonNode.Parse("""{"phase":"Running"}"""));

        Update(strategy, updated, old);

        Assert.Equal("Pending", updated.GetString("status", "phase"));
    }
}
