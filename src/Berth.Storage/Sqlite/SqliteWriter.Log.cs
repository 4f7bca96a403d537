using Microsoft.Extensions.Logging;

namespace Berth.Storage.Sqlite;

internal sealed partial class SqliteWriter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Commit of {Count} store writes failed")]
        public static partial void CommitFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Slow store commit: {Count} writes took {ElapsedMs:F1} ms")]
        public static partial void SlowCommit(ILogger logger, int count, double elapsedMs);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Critical, Message = "Store writer faulted: database revision {Durable} differs from memory {InMemory}")]
        public static partial void WriterFaulted(ILogger logger, long durable, long inMemory);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Critical, Message = "Store writer crashed")]
        public static partial void WriterCrashed(ILogger logger, Exception exception);
    }
}
