using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>HorizontalPodAutoscalers: upstream's columns and formatHPAMetrics' Targets text.</summary>
public sealed class HorizontalPodAutoscalerPrinterTests
{
    private const string Cpu50 = """{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}""";

    [Fact]
    public void Columns_AreUpstreams()
    {
        Assert.Equal(["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"],
            TablePrinters.For(KindRegistry.HorizontalPodAutoscalers).Columns.Select(c => c.Name));
    }

    [Fact]
    public void Row_BeforeTheFirstMeasurement_ShowsUnknown()
    {
        Assert.Equal(["web", "Deployment/web", "cpu: <unknown>/50%", "1", 5L, 0L, "9s"],
            Cells(KindRegistry.HorizontalPodAutoscalers, """
                {"metadata":{"name":"web","creationTimestamp":"ago:9"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"metrics":[
            """ + Cpu50 + "]}}"));
    }

    [Fact]
    public void Row_Measured_ShowsCurrentOverTarget()
    {
        Assert.Equal(["web", "Deployment/web", "cpu: 12%/50%, memory: 104857600/200Mi", "<unset>", 5L, 3L, "9s"],
            Cells(KindRegistry.HorizontalPodAutoscalers, """
                {"metadata":{"name":"web","creationTimestamp":"ago:9"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5,"metrics":[
            """ + Cpu50 + """
                 ,{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"200Mi"}}}]},
                 "status":{"currentReplicas":3,"desiredReplicas":3,"currentMetrics":[
                   {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":12,"averageValue":"6m"}}},
                   {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"104857600"}}}]}}
                """));
    }

    [Theory]
    [InlineData("""[]""", "<none>")]
    [InlineData("""[{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}}]""", "<unknown>/10")]
    [InlineData("""[{"type":"External","external":{"metric":{"name":"q"},"target":{"type":"AverageValue","averageValue":"30"}}}]""", "<unknown>/30 (avg)")]
    [InlineData("""[{"type":"Object","object":{"metric":{"name":"q"},"target":{"type":"Value","value":"2k"}}}]""", "<unknown>/2k")]
    [InlineData("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization"}}}]""", "cpu: <unknown>/<auto>")]
    [InlineData("""[{"type":"Odd"}]""", "<unknown type>")]
    [InlineData("""[{"type":"Resource","resource":{"name":"cpu","target":{"averageUtilization":50}}},{"type":"Resource","resource":{"name":"cpu","target":{"averageUtilization":60}}},{"type":"Resource","resource":{"name":"cpu","target":{"averageUtilization":70}}}]""", "cpu: <unknown>/50%, cpu: <unknown>/60% + 1 more...")]
    public void Targets_Text(string metrics, string expected) =>
        Assert.Equal(expected, Cell(KindRegistry.HorizontalPodAutoscalers, """{"spec":{"metrics":""" + metrics + "}}", "Targets"));
}
