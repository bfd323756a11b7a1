using Calico.Datastore;

namespace Calico.Tests.Datastore;

/// <summary>The datastore contract against a real etcd; lists are read in pages of 5 so paging is exercised.</summary>
public sealed class EtcdDatastoreContractTests(EtcdServer etcd) : DatastoreContractTests, IClassFixture<EtcdServer>
{
    protected override async Task<IKeyValueStore> OpenStoreAsync(bool empty)
    {
        if (empty) await etcd.WipeAsync();
        return etcd.OpenStore(pageSize: 5);
    }

    protected override Task CompactAsync(IKeyValueStore store, long revision) => etcd.CompactAsync(revision);
}
