using System.Text.Json.Nodes;
using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

public sealed class TablePrintersTests
{
    public static TheoryData<string> AllKinds() => [.. KindRegistry.AllKinds.Select(k => k.Resource)];

    /// <summary>Kinds upstream prints with the default convertor (Name, Created At) because it has no printer for them.</summary>
    private static readonly ResourceKind[] DefaultPrinted = [KindRegistry.LimitRanges];

    public static TheoryData<string> PrintedKinds() => [.. KindRegistry.AllKinds.Except(DefaultPrinted).Select(k => k.Resource)];

    private static ResourceKind Kind(string resource) => KindRegistry.AllKinds.Single(k => k.Resource == resource);

    [Theory]
    [MemberData(nameof(PrintedKinds))]
    public void For_EveryServedKind_HasOwnPrinter(string resource) =>
        Assert.IsNotType<DefaultTablePrinter>(TablePrinters.For(Kind(resource)));

    [Fact]
    public void For_KindsWithoutUpstreamPrinter_UseTheDefault() =>
        Assert.All(DefaultPrinted, k => Assert.IsType<DefaultTablePrinter>(TablePrinters.For(k)));

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Cells_EmptyObject_OneCellPerColumnWithoutThrowing(string resource)
    {
        var printer = TablePrinters.For(Kind(resource));
        var cells = printer.Cells(new JsonObject(), Now);
        Assert.Equal(printer.Columns.Count, cells.Count);
        Assert.All(cells, c => Assert.True(c is string or long or bool, $"cell {c} of {resource}"));
    }

    [Theory]
    [MemberData(nameof(PrintedKinds))]
    public void Columns_NameColumnHasNameFormat_OthersHaveNone(string resource)
    {
        var columns = TablePrinters.For(Kind(resource)).Columns;
        Assert.Single(columns, c => c.Format == "name");
        Assert.All(columns, c => Assert.Contains(c.Type, new[] { "string", "integer", "boolean", "date" }));
        Assert.All(columns, c => Assert.InRange(c.Priority, 0, 1));
        Assert.All(columns, c => Assert.False(string.IsNullOrEmpty(c.Description)));
    }

    [Theory]
    [InlineData("services", "Name, Type, Cluster-IP, External-IP, Port(s), Age, [Selector]")]
    [InlineData("endpoints", "Name, Endpoints, Age")]
    [InlineData("endpointslices", "Name, AddressType, Ports, Endpoints, Age")]
    [InlineData("deployments", "Name, Ready, Up-to-date, Available, Age, [Containers], [Images], [Selector]")]
    [InlineData("replicasets", "Name, Desired, Current, Ready, Age, [Containers], [Images], [Selector]")]
    [InlineData("statefulsets", "Name, Ready, Age, [Containers], [Images]")]
    [InlineData("daemonsets", "Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age, [Containers], [Images], [Selector]")]
    [InlineData("nodes", "Name, Status, Roles, Age, Version, [Internal-IP], [External-IP], [OS-Image], [Kernel-Version], [Container-Runtime]")]
    [InlineData("namespaces", "Name, Status, Age")]
    [InlineData("events", "Last Seen, Type, Reason, Object, [Subobject], [Source], Message, [First Seen], [Count], [Name]")]
    [InlineData("jobs", "Name, Status, Completions, Duration, Age, [Containers], [Images], [Selector]")]
    [InlineData("cronjobs", "Name, Schedule, Timezone, Suspend, Active, Last Schedule, Age, [Containers], [Images], [Selector]")]
    [InlineData("configmaps", "Name, Data, Age")]
    [InlineData("secrets", "Name, Type, Data, Age")]
    [InlineData("serviceaccounts", "Name, Secrets, Age")]
    [InlineData("leases", "Name, Holder, Age")]
    [InlineData("controllerrevisions", "Name, Controller, Revision, Age")]
    [InlineData("poddisruptionbudgets", "Name, Min Available, Max Unavailable, Allowed Disruptions, Age")]
    [InlineData("persistentvolumeclaims", "Name, Status, Volume, Capacity, Access Modes, StorageClass, VolumeAttributesClass, Age, [VolumeMode]")]
    [InlineData("persistentvolumes", "Name, Capacity, Access Modes, Reclaim Policy, Status, Claim, StorageClass, VolumeAttributesClass, Reason, Age, [VolumeMode]")]
    [InlineData("storageclasses", "Name, Provisioner, ReclaimPolicy, VolumeBindingMode, AllowVolumeExpansion, Age")]
    [InlineData("rolebindings", "Name, Role, Age, [Users], [Groups], [ServiceAccounts]")]
    [InlineData("clusterroles", "Name, Created At")]
    public void Columns_MatchUpstreamColumnSets(string resource, string layout) =>
        Assert.Equal(layout, ColumnLayout(Kind(resource)));

    [Fact]
    public void For_UnknownKind_IsDefaultConvertor()
    {
        var widget = new ResourceKind("example.com", "v1", "Widget", "widgets", "widget", true, [], [], []);
        var printer = TablePrinters.For(widget);
        Assert.IsType<DefaultTablePrinter>(printer);
        Assert.Equal(["w", "2025-03-01T11:00:00Z"], printer.Cells(Parse("""{"metadata":{"name":"w","creationTimestamp":"2025-03-01T11:00:00Z"}}"""), Now));
        Assert.Equal("date", printer.Columns[1].Type);
        Assert.Equal(["", "0001-01-01T00:00:00Z"], printer.Cells(new JsonObject(), Now));
        Assert.Equal("2025-03-01T10:00:00Z", printer.Cells(Parse("""{"metadata":{"creationTimestamp":"2025-03-01T11:00:00.5+01:00"}}"""), Now)[1]);
    }
}
