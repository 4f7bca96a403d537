using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

public sealed class EventPrinterTests
{
    [Fact]
    public void Event_KubeletEvent_PrintsAllColumns() =>
        Assert.Equal(["3s", "Normal", "Killing", "pod/web-1", "spec.containers{app}", "kubelet, node1", "Stopping container app", "2m", 4L, "web-1.17f"],
            Cells(KindRegistry.Events, """
                {"metadata":{"name":"web-1.17f","namespace":"default"},"type":"Normal","reason":"Killing",
                 "involvedObject":{"kind":"Pod","name":"web-1","fieldPath":"spec.containers{app}"},
                 "source":{"component":"kubelet","host":"node1"},"message":"  Stopping container app\n",
                 "firstTimestamp":"ago:120","lastTimestamp":"ago:3","count":4}
                """));

    [Fact]
    public void Event_NewApiSingleton_UsesEventTimeReportingFieldsAndCountOne() =>
        Assert.Equal(["6s", "Normal", "Scheduled", "pod/web-1", "", "default-scheduler", "assigned", "6s", 1L, "e"],
            Cells(KindRegistry.Events, """
                {"metadata":{"name":"e"},"type":"Normal","reason":"Scheduled","involvedObject":{"kind":"Pod","name":"web-1"},
                 "message":"assigned","eventTime":"2025-03-01T11:59:53.123456Z","reportingComponent":"default-scheduler",
                 "firstTimestamp":null,"lastTimestamp":null}
                """));

    [Fact]
    public void Event_Series_UsesSeriesLastObservedTimeAndCount()
    {
        var cells = Cells(KindRegistry.Events, """
            {"metadata":{"name":"e"},"involvedObject":{"kind":"Node"},"eventTime":"ago:600","reportingComponent":"kubelet","reportingInstance":"node1",
             "series":{"count":12,"lastObservedTime":"ago:15"}}
            """);
        Assert.Equal("15s", cells[0]);
        Assert.Equal("node", cells[3]);
        Assert.Equal("kubelet, node1", cells[5]);
        Assert.Equal("10m", cells[7]);
        Assert.Equal(12L, cells[8]);
    }

    [Fact]
    public void Event_NoTimes_IsUnknown()
    {
        var cells = Cells(KindRegistry.Events, """{"metadata":{"name":"e"},"involvedObject":{"kind":"Pod","name":"p"}}""");
        Assert.Equal("<unknown>", cells[0]);
        Assert.Equal("<unknown>", cells[7]);
    }
}
