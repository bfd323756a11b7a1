using Calico.Datastore;

namespace Calico.Tests.Datastore;

/// <summary>The datastore contract against the file store; every client is a separate FileKeyValueStore on one directory.</summary>
public sealed class FileDatastoreContractTests : DatastoreContractTests, IDisposable
{
    private readonly TempDirectory _dir = new();

    protected override Task<IKeyValueStore> OpenStoreAsync(bool empty) =>
        Task.FromResult<IKeyValueStore>(new FileKeyValueStore(Path.Combine(_dir.Path, "store"), new FileStoreOptions { WatchPollInterval = TimeSpan.FromMilliseconds(10) }));

    protected override Task CompactAsync(IKeyValueStore store, long revision) => ((FileKeyValueStore)store).CompactAsync(keepHistory: false);

    public void Dispose() => _dir.Dispose();
}
