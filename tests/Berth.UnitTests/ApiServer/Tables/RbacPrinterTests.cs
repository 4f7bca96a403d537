using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>Roles, ClusterRoles, RoleBindings and ClusterRoleBindings.</summary>
public sealed class RbacPrinterTests
{
    [Fact]
    public void Role_PrintsCreatedAtInRfc3339() =>
        Assert.Equal(["pod-reader", "2026-01-02T03:04:05Z"],
            Cells(KindRegistry.Roles, """{"metadata":{"name":"pod-reader","creationTimestamp":"2026-01-02T03:04:05Z"}}"""));

    [Fact]
    public void ClusterRole_WithoutTimestamp_PrintsZeroTime() =>
        Assert.Equal(["x", "0001-01-01T00:00:00Z"], Cells(KindRegistry.ClusterRoles, """{"metadata":{"name":"x"}}"""));

    [Fact]
    public void RoleBinding_PrintsRoleAndSubjectsByKind() =>
        Assert.Equal(["read", "Role/pod-reader", "3h", "jane, bob", "devs", "default/x, /y"],
            Cells(KindRegistry.RoleBindings, """
                {"metadata":{"name":"read","creationTimestamp":"ago:10800"},"roleRef":{"kind":"Role","name":"pod-reader"},
                 "subjects":[{"kind":"User","name":"jane"},{"kind":"ServiceAccount","namespace":"default","name":"x"},
                             {"kind":"Group","name":"devs"},{"kind":"User","name":"bob"},{"kind":"ServiceAccount","name":"y"}]}
                """));

    [Fact]
    public void ClusterRoleBinding_WithoutSubjects_PrintsEmptyWideCells() =>
        Assert.Equal(["admin", "ClusterRole/cluster-admin", "10s", "", "", ""],
            Cells(KindRegistry.ClusterRoleBindings, """{"metadata":{"name":"admin","creationTimestamp":"ago:10"},"roleRef":{"kind":"ClusterRole","name":"cluster-admin"}}"""));
}
