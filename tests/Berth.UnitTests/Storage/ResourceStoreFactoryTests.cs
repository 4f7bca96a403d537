using Berth.Storage;
using Berth.Storage.InMemory;
using Berth.Storage.Sqlite;

namespace Berth.UnitTests.Storage;

public sealed class ResourceStoreFactoryTests
{
    [Fact]
    public async Task Open_Memory_ReturnsInMemoryStore()
    {
        await using var store = ResourceStoreFactory.Open("memory", new StoreOptions(), TimeProvider.System);

        Assert.IsType<InMemoryResourceStore>(store);
    }

    [Fact]
    public async Task Open_Sqlite_CreatesDatabaseFile()
    {
        var directory = Directory.CreateTempSubdirectory("berth-factory-").FullName;
        try
        {
            var path = Path.Combine(directory, "state.db");
            await using (var store = ResourceStoreFactory.Open("SQLite", new StoreOptions { Path = path }, TimeProvider.System))
            {
                Assert.IsType<SqliteResourceStore>(store);
            }
            Assert.True(File.Exists(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Open_UnknownKind_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ResourceStoreFactory.Open("etcd", new StoreOptions(), TimeProvider.System));
    }

    [Fact]
    public void Open_InvalidOptions_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ResourceStoreFactory.Open("memory", new StoreOptions { WatchBufferSize = 0 }, TimeProvider.System));
    }
}
