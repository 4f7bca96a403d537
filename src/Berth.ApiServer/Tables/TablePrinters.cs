using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Tables;

/// <summary>Finds the printer for a kind. Kinds without one get <see cref="DefaultTablePrinter"/>.</summary>
public static class TablePrinters
{
    private static readonly ITablePrinter Default = new DefaultTablePrinter();

    private static readonly Dictionary<ResourceKind, ITablePrinter> Printers = new();

    public static ITablePrinter For(ResourceKind kind) => Printers.GetValueOrDefault(kind, Default);
}
