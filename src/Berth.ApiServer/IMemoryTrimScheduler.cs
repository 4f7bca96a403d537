namespace Berth.ApiServer;

/// <summary>
/// Asks the process for one memory trim (a compacting full collection that also returns free memory to the operating
/// system) once it has gone quiet. For one-off work that leaves garbage too small to trigger the idle trim by itself,
/// such as generating an OpenAPI document. Implemented by the server host when it owns its process; thread-safe.
/// </summary>
public interface IMemoryTrimScheduler
{
    /// <summary>Requests one trim at the next quiet moment; requests made before it runs coalesce.</summary>
    void ScheduleTrim();
}
