namespace Berth.ApiServer.Tables;

/// <summary>A Table column definition; <see cref="Priority"/> 1 columns show only with <c>-o wide</c>.</summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority = 0);
