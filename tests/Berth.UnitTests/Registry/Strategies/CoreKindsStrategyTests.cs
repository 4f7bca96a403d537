using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.ConfigMaps;
using Berth.Registry.Core.Events;
using Berth.Registry.Core.Nodes;
using Berth.Registry.Core.Secrets;
using Berth.Registry.Discovery;
using Berth.Registry.Generic;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class CoreKindsStrategyTests
{
    [Fact]
    public void ConfigMap_BadKey_UpstreamMessageAtDataKey()
    {
        var cm = Parse("""{"metadata":{"name":"c","namespace":"default"},"data":{"bad key":"v"}}""");

        Assert.Equal(
            ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
            Create(new ConfigMapStrategy(), cm));
    }

    [Fact]
    public void ConfigMap_Immutable_DataChangeForbidden()
    {
        var strategy = new ConfigMapStrategy();
        var old = Parse("""{"metadata":{"name":"c","namespace":"default"},"immutable":true,"data":{"a":"1"}}""");
        var updated = With(old, c => c["data"]!["a"] = "2");

        Assert.Contains("data: Forbidden: field is immutable when `immutable` is set", Update(strategy, updated, old));
    }

    [Fact]
    public void ConfigMap_OverOneMebibyte_TooLong()
    {
        var cm = Parse("""{"metadata":{"name":"c","namespace":"default"},"data":{}}""");
        cm["data"]!["big"] = new string('x', ConfigMapStrategy.MaxSize + 1);

        Assert.Contains(": Too long: may not be more than 1048576 bytes", Create(new ConfigMapStrategy(), cm));
    }

    [Fact]
    public void Secret_StringDataAndType_DefaultedAndFolded()
    {
        var secret = Parse("""{"metadata":{"name":"s","namespace":"default"},"stringData":{"password":"hunter2"}}""");

        Assert.Empty(Create(new SecretStrategy(), secret));
        Assert.Equal("Opaque", secret.GetString("type"));
        Assert.Equal("aHVudGVyMg==", secret.GetString("data", "password"));
        Assert.Null(secret["stringData"]);
        Assert.Equal("Opaque", new SecretStrategy().GetSelectableField(secret, "type"));
    }

    [Fact]
    public void Secret_TlsWithoutKeys_RequiredKeys()
    {
        var secret = Parse("""{"metadata":{"name":"s","namespace":"default"},"type":"kubernetes.io/tls","data":{}}""");

        Assert.Equal(["data[tls.crt]: Required value", "data[tls.key]: Required value"], Create(new SecretStrategy(), secret));
    }

    [Fact]
    public void Secret_TypeChange_Immutable()
    {
        var strategy = new SecretStrategy();
        var old = Parse("""{"metadata":{"name":"s","namespace":"default"},"type":"Opaque"}""");
        var updated = With(old, s => s["type"] = "kubernetes.io/basic-auth");

        Assert.Contains("type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable", Update(strategy, updated, old));
    }

    [Fact]
    public void Event_NamespaceMismatch_Rejected()
    {
        var ev = Parse("""{"metadata":{"name":"e","namespace":"default"},"involvedObject":{"kind":"Pod","name":"p","namespace":"other"}}""");

        Assert.Equal(["involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"], Create(new EventStrategy(), ev));
    }

    [Theory]
    [InlineData("involvedObject.kind", "Pod")]
    [InlineData("involvedObject.name", "p")]
    [InlineData("involvedObject.uid", "u1")]
    [InlineData("reason", "Killing")]
    [InlineData("type", "Normal")]
    [InlineData("source", "kubelet")]
    [InlineData("reportingComponent", "")]
    [InlineData("involvedObject.fieldPath", "")]
    public void Event_SelectableFields_Answered(string field, string expected)
    {
        var ev = Parse("""{"metadata":{"name":"e","namespace":"default"},"involvedObject":{"kind":"Pod","name":"p","namespace":"default","uid":"u1"},"reason":"Killing","type":"Normal","source":{"component":"kubelet"}}""");

        Assert.Equal(expected, new EventStrategy().GetSelectableField(ev, field));
    }

    [Fact]
    public void Node_CreateKeepsStatus_UnschedulableSelectable()
    {
        var node = Parse("""{"metadata":{"name":"n1"},"spec":{"unschedulable":true},"status":{"capacity":{"cpu":"2"}}}""");

        Assert.Empty(Create(new NodeStrategy(), node));
        Assert.Equal("2", node.GetString("status", "capacity", "cpu"));
        Assert.Equal("true", new NodeStrategy().GetSelectableField(node, "spec.unschedulable"));
    }

    [Theory]
    [InlineData("""{"addressType":"IPv5"}""", "addressType: Unsupported value: \"IPv5\": supported values: \"FQDN\", \"IPv4\", \"IPv6\"")]
    [InlineData("""{"addressType":"IPv4","endpoints":[{"addresses":[]}]}""", "endpoints[0].addresses: Required value: must contain at least 1 address")]
    [InlineData("""{"addressType":"IPv4","endpoints":[{"addresses":["::1"]}]}""", "endpoints[0].addresses: Invalid value: \"::1\": must be an IPv4 address")]
    [InlineData("""{"addressType":"IPv4","endpoints":[{"addresses":["nope"]}]}""", "endpoints[0].addresses[0]: Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    [InlineData("""{"addressType":"IPv4","ports":[{"name":"a","port":80},{"name":"a","port":81}]}""", "ports[1].name: Duplicate value: \"a\"")]
    public void EndpointSlice_Invalid_Rejected(string body, string expected)
    {
        var slice = JsonNode.Parse(body)!.AsObject();
        slice["metadata"] = JsonNode.Parse("""{"name":"s","namespace":"default"}""");

        Assert.Contains(expected, Create(new EndpointSliceStrategy(), slice));
    }

    [Fact]
    public void EndpointSlice_LoopbackAddressAndDefaults_Accepted()
    {
        var slice = Parse("""{"metadata":{"name":"s","namespace":"default"},"addressType":"IPv4","endpoints":[{"addresses":["127.0.0.2"]}],"ports":[{"port":80}]}""");

        Assert.Empty(Create(new EndpointSliceStrategy(), slice));
        Assert.Equal("""{"port":80,"name":"","protocol":"TCP"}""", slice["ports"]![0]!.ToJsonString());
    }

    [Fact]
    public void StrategyCatalog_Default_RegistersEveryStrategyKindOnce()
    {
        var kinds = KnownStrategies.All().Select(s => s.Kind).ToList();

        Assert.Equal(kinds.Count, kinds.Distinct().Count());
        Assert.Equal(30, kinds.Count); // 16, plus six policy, three storage, one autoscaling and four RBAC kinds.
        Assert.IsType<NodeStrategy>(StrategyCatalog.CreateDefault().For(Berth.Machinery.Kinds.KindRegistry.Nodes));
    }
}
