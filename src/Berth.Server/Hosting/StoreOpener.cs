using Berth.Server.Options;
using Berth.Storage;

namespace Berth.Server.Hosting;

/// <summary>Derives <see cref="StoreOptions"/> from the server flags and opens the chosen store.</summary>
internal static class StoreOpener
{
    /// <summary>The compactor samples ten times per retention window, but at most once a second.</summary>
    public static StoreOptions StoreOptionsFor(ServerOptions options, DataDirectory dir) => new()
    {
        Path = dir.Database,
        HistoryRetention = options.HistoryRetention,
        CompactionInterval = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, options.HistoryRetention.Ticks / 10)),
    };

    /// <summary>Opens the SQLite file in the data directory (loading it synchronously) or a fresh in-memory store.</summary>
    public static IResourceStore Open(ServerOptions options, StoreOptions storeOptions, TimeProvider time, ILoggerFactory loggers) =>
        ResourceStoreFactory.Open(
            options.Store == StoreBackend.Memory ? ResourceStoreFactory.Memory : ResourceStoreFactory.Sqlite,
            storeOptions, time, loggers);
}
