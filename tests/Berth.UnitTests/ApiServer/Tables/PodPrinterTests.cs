using System.Text.Json.Nodes;
using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>The pod STATUS matrix of kubernetes-termination.md §7.1, checked against printPod's rules.</summary>
public sealed class PodPrinterTests
{
    private static readonly ResourceKind Pods = KindRegistry.Pods;

    private const string RunningReady = """
        {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],
         "containerStatuses":[{"name":"app","ready":true,"restartCount":0,"state":{"running":{"startedAt":"ago:10"}}}]}
        """;

    /// <summary>A pod named web with one app container, the given status, and optionally init containers and a deletion time.</summary>
    private static JsonObject Pod(string status, string initContainers = "[]", int? deletedAgo = null)
    {
        var pod = Parse("""
            {"metadata":{"name":"web","namespace":"default","creationTimestamp":"ago:13"},
             "spec":{"nodeName":"node1","containers":[{"name":"app","image":"nginx"}]}}
            """);
        pod["spec"]!["initContainers"] = JsonNode.Parse(initContainers);
        pod["status"] = Parse(status);
        if (deletedAgo is { } d)
        {
            pod["metadata"]!["deletionTimestamp"] = SecondsAgo(d);
        }
        return pod;
    }

    private static object? Cell(JsonObject pod, string column)
    {
        var printer = TablePrinters.For(Pods);
        return printer.Cells(pod, Now)[printer.Columns.ToList().FindIndex(c => c.Name == column)];
    }

    private static string Status(JsonObject pod) => (string)Cell(pod, "Status")!;

    private static string Ready(JsonObject pod) => (string)Cell(pod, "Ready")!;

    private static string Restarts(JsonObject pod) => (string)Cell(pod, "Restarts")!;

    [Fact]
    public void Columns_MatchUpstreamPodColumns()
    {
        Assert.Equal("Name, Ready, Status, Restarts, Age, [IP], [Node], [Nominated Node], [Readiness Gates]", ColumnLayout(Pods));
        Assert.All(TablePrinters.For(Pods).Columns, c => Assert.Equal("string", c.Type));
        Assert.Equal("name", TablePrinters.For(Pods).Columns[0].Format);
    }

    [Fact]
    public void Cells_RunningPod_PrintsKubectlRow()
    {
        var pod = Pod(RunningReady);
        pod["status"]!["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.244.0.7" });
        Assert.Equal(["web", "1/1", "Running", "0", "13s", "10.244.0.7", "node1", "<none>", "<none>"],
            TablePrinters.For(Pods).Cells(pod, Now));
    }

    [Theory]
    [InlineData("""{"phase":"Pending"}""", "Pending")]
    [InlineData("""{"phase":"Pending","containerStatuses":[{"name":"app","state":{"waiting":{"reason":"ContainerCreating"}}}]}""", "ContainerCreating")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"name":"app","restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}""", "CrashLoopBackOff")]
    [InlineData("""{"phase":"Pending","containerStatuses":[{"name":"app","state":{"waiting":{"reason":"CreateContainerConfigError"}}}]}""", "CreateContainerConfigError")]
    [InlineData("""{"phase":"Pending","containerStatuses":[{"name":"app","state":{"waiting":{"reason":"ErrImagePull"}}}]}""", "ErrImagePull")]
    [InlineData("""{"phase":"Succeeded","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}""", "Completed")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":1,"reason":"Error"}}}]}""", "Error")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":137,"reason":"OOMKilled"}}}]}""", "OOMKilled")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":3}}}]}""", "ExitCode:3")]
    [InlineData("""{"phase":"Failed","containerStatuses":[{"name":"app","state":{"terminated":{"exitCode":137,"signal":9}}}]}""", "Signal:9")]
    [InlineData("""{"phase":"Failed","reason":"Evicted","message":"low on memory"}""", "Evicted")]
    [InlineData("""{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}""", "SchedulingGated")]
    [InlineData("""{"phase":"Pending","containerStatuses":[{"name":"app","state":{"waiting":{}}}]}""", "Pending")]
    public void Status_ContainerStates_FollowPrintPod(string status, string expected) =>
        Assert.Equal(expected, Status(Pod(status)));

    [Theory]
    [InlineData("""[{"name":"init","state":{"running":{}}}]""", "Init:0/1")]
    [InlineData("""[{"name":"init","state":{"waiting":{"reason":"PodInitializing"}}}]""", "Init:0/1")]
    [InlineData("""[{"name":"init","state":{"terminated":{"exitCode":1,"reason":"Error"}}}]""", "Init:Error")]
    [InlineData("""[{"name":"init","state":{"terminated":{"exitCode":2}}}]""", "Init:ExitCode:2")]
    [InlineData("""[{"name":"init","state":{"terminated":{"exitCode":143,"signal":15}}}]""", "Init:Signal:15")]
    [InlineData("""[{"name":"init","restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]""", "Init:CrashLoopBackOff")]
    [InlineData("""[{"name":"init","state":{"terminated":{"exitCode":0,"reason":"Completed"}}},{"name":"init2","state":{"running":{}}}]""", "Init:1/2")]
    public void Status_InitContainers_ShowFirstBlockingInitContainer(string initStatuses, string expected)
    {
        var statuses = JsonNode.Parse(initStatuses)!.AsArray();
        var spec = statuses.Count == 1 ? """[{"name":"init"}]""" : """[{"name":"init"},{"name":"init2"}]""";
        var pod = Pod("""{"phase":"Pending","containerStatuses":[{"name":"app","state":{"waiting":{"reason":"PodInitializing"}}}]}""", spec);
        pod["status"]!["initContainerStatuses"] = statuses;
        Assert.Equal(expected, Status(pod));
        Assert.Equal("0/1", Ready(pod));
    }

    [Fact]
    public void Status_InitDoneAppWaiting_IsPodInitializing()
    {
        var pod = Pod("""
            {"phase":"Pending","initContainerStatuses":[{"name":"init","state":{"terminated":{"exitCode":0,"reason":"Completed"}}}],
             "containerStatuses":[{"name":"app","state":{"waiting":{"reason":"PodInitializing"}}}]}
            """, """[{"name":"init"}]""");
        Assert.Equal("PodInitializing", Status(pod));
    }

    [Fact]
    public void Status_FirstContainerWithReasonWins()
    {
        var pod = Pod("""
            {"phase":"Pending","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"ImagePullBackOff"}}},
                                                    {"name":"b","state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}
            """);
        Assert.Equal("ImagePullBackOff", Status(pod));
    }

    [Theory]
    [InlineData("True", "Running")]
    [InlineData("False", "NotReady")]
    public void Status_CompletedContainerWithRunningOne_IsRunningOrNotReady(string readyCondition, string expected)
    {
        var pod = Pod("""
            {"phase":"Running","conditions":[{"type":"Ready","status":"READY"}],
             "containerStatuses":[{"name":"a","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}},
                                  {"name":"b","ready":true,"state":{"running":{}}}]}
            """.Replace("READY", readyCondition, StringComparison.Ordinal));
        Assert.Equal(expected, Status(pod));
        Assert.Equal("1/1", Ready(pod));
    }

    [Fact]
    public void Status_DeletionTimestampOnRunningPod_IsTerminating()
    {
        var pod = Pod(RunningReady, deletedAgo: -30);
        Assert.Equal("Terminating", Status(pod));
        Assert.Equal("1/1", Ready(pod));
    }

    [Fact]
    public void Status_DeletionTimestampAfterAppExited_IsTerminatingWithZeroReady()
    {
        var pod = Pod("""
            {"phase":"Running","conditions":[{"type":"Ready","status":"False"}],
             "containerStatuses":[{"name":"app","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}
            """, deletedAgo: -20);
        Assert.Equal("Terminating", Status(pod));
        Assert.Equal("0/1", Ready(pod));
    }

    [Theory]
    [InlineData("Succeeded", "Completed", 0)]
    [InlineData("Failed", "Error", 143)]
    public void Status_DeletionTimestampOnTerminalPod_KeepsContainerReason(string phase, string reason, int exitCode)
    {
        var pod = Pod("""{"phase":"Running","containerStatuses":[{"name":"app","state":{"terminated":{}}}]}""", deletedAgo: 1);
        pod["status"]!["phase"] = phase;
        var terminated = pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!;
        terminated["exitCode"] = exitCode;
        terminated["reason"] = reason;
        Assert.Equal(reason, Status(pod));
    }

    [Fact]
    public void Status_DeletionTimestampWithNodeLost_IsUnknown() =>
        Assert.Equal("Unknown", Status(Pod("""{"phase":"Running","reason":"NodeLost"}""", deletedAgo: 1)));

    [Fact]
    public void Restarts_WithLastTermination_ShowsAgo()
    {
        var pod = Pod("""
            {"phase":"Running","containerStatuses":[{"name":"app","restartCount":5,
              "lastState":{"terminated":{"exitCode":1,"finishedAt":"ago:310"}},"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}
            """);
        Assert.Equal("5 (5m10s ago)", Restarts(pod));
        Assert.Equal("CrashLoopBackOff", Status(pod));
    }

    [Fact]
    public void Restarts_WithoutLastTermination_IsPlainCount() =>
        Assert.Equal("3", Restarts(Pod("""{"phase":"Running","containerStatuses":[{"name":"app","restartCount":3,"state":{"running":{}}}]}""")));

    [Fact]
    public void Sidecar_StartedAndReady_CountsInReadyAndRestarts()
    {
        var pod = Pod("""
            {"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
             "initContainerStatuses":[{"name":"proxy","started":true,"ready":true,"restartCount":2,
               "lastState":{"terminated":{"exitCode":1,"finishedAt":"ago:40"}},"state":{"running":{}}}],
             "containerStatuses":[{"name":"app","ready":true,"restartCount":1,
               "lastState":{"terminated":{"exitCode":1,"finishedAt":"ago:90"}},"state":{"running":{}}}]}
            """, """[{"name":"proxy","image":"envoy","restartPolicy":"Always"}]""");
        Assert.Equal("2/2", Ready(pod));
        Assert.Equal("Running", Status(pod));
        Assert.Equal("3 (40s ago)", Restarts(pod));
    }

    [Fact]
    public void Sidecar_NotYetStarted_IsInitializing()
    {
        var pod = Pod("""
            {"phase":"Pending","initContainerStatuses":[{"name":"proxy","started":false,"ready":false,"state":{"running":{}}}],
             "containerStatuses":[{"name":"app","state":{"waiting":{"reason":"PodInitializing"}}}]}
            """, """[{"name":"proxy","restartPolicy":"Always"}]""");
        Assert.Equal("Init:0/1", Status(pod));
        Assert.Equal("0/2", Ready(pod));
    }

    [Fact]
    public void Restarts_InitializingPod_CountsInitContainersOnly()
    {
        var pod = Pod("""
            {"phase":"Pending","initContainerStatuses":[{"name":"init","restartCount":4,
               "lastState":{"terminated":{"exitCode":1,"finishedAt":"ago:20"}},"state":{"waiting":{"reason":"CrashLoopBackOff"}}}],
             "containerStatuses":[{"name":"app","restartCount":9,"state":{"waiting":{"reason":"PodInitializing"}}}]}
            """, """[{"name":"init"}]""");
        Assert.Equal("4 (20s ago)", Restarts(pod));
    }

    [Fact]
    public void WideCells_PodIPFallbackAndReadinessGates()
    {
        var pod = Parse("""
            {"metadata":{"name":"p","creationTimestamp":"ago:3600"},
             "spec":{"containers":[{"name":"a"}],"readinessGates":[{"conditionType":"example.com/one"},{"conditionType":"example.com/two"}]},
             "status":{"phase":"Running","podIP":"10.0.0.9","nominatedNodeName":"node2",
                       "conditions":[{"type":"example.com/one","status":"True"},{"type":"example.com/two","status":"False"}]}}
            """);
        var cells = TablePrinters.For(Pods).Cells(pod, Now);
        Assert.Equal(["10.0.0.9", "<none>", "node2", "1/2"], cells.Skip(5));
        Assert.Equal("60m", cells[4]);
    }

    [Theory]
    [InlineData("Succeeded", "The pod has completed successfully.")]
    [InlineData("Failed", "The pod failed.")]
    public void RowConditions_TerminalPhase_IsCompleted(string phase, string message)
    {
        var pod = Pod("{}");
        pod["status"]!["phase"] = phase;
        var c = Assert.IsType<JsonObject>(Assert.Single(TablePrinters.For(Pods).RowConditions(pod)!));
        Assert.Equal("Completed", (string?)c["type"]);
        Assert.Equal("True", (string?)c["status"]);
        Assert.Equal(phase, (string?)c["reason"]);
        Assert.Equal(message, (string?)c["message"]);
    }

    [Fact]
    public void RowConditions_RunningPod_IsNull() =>
        Assert.Null(TablePrinters.For(Pods).RowConditions(Pod(RunningReady)));

    [Fact]
    public void Cells_EmptyPod_PrintsZeroValues() =>
        Assert.Equal(["", "0/0", "", "0", "<unknown>", "<none>", "<none>", "<none>", "<none>"],
            TablePrinters.For(Pods).Cells(new JsonObject(), Now));
}
