using Calico.Configuration;
using Calico.Datastore;
using Calico.Net;

namespace Calico.Client;

/// <summary>
/// What the cmdlets and DSC resources talk to: a datastore with Calico's client rules for each kind.
/// </summary>
public sealed class CalicoClient : IDisposable
{
    public CalicoClient(IKeyValueStore store)
    {
        Store = store ?? throw new ArgumentNullException(nameof(store));
        Resources = new ResourceStore(store);
        IPPools = new IPPoolClient(this);
        Nodes = new NodeClient(this);
    }

    public static CalicoClient Open(DatastoreConfig config) => new(DatastoreFactory.Create(config));

    public IKeyValueStore Store { get; }
    public ResourceStore Resources { get; }
    public IPPoolClient IPPools { get; }
    public NodeClient Nodes { get; }

    /// <summary>Where the data lives, for messages: a directory or the etcd endpoints.</summary>
    public string Location => Store.Location;

    internal Task ReleasePoolAffinitiesAsync(IPPrefix cidr, CancellationToken cancellationToken) =>
        IpamRelease.ReleasePoolAffinitiesAsync(Store, cidr, cancellationToken);

    internal Task ReleaseNodeIpamAsync(string node, CancellationToken cancellationToken) =>
        IpamRelease.ReleaseHostAsync(Store, node, cancellationToken);

    public void Dispose() => Store.Dispose();
}
