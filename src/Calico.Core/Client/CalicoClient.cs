using Calico.Datastore;
using Calico.Ipam;
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
        Ipam = new IpamClient(store, new StoredCluster(Resources));
    }

    public IKeyValueStore Store { get; }
    public ResourceStore Resources { get; }
    public IPPoolClient IPPools { get; }
    public NodeClient Nodes { get; }
    public IpamClient Ipam { get; }

    /// <summary>Where the data lives, for messages: a directory or the etcd endpoints.</summary>
    public string Location => Store.Location;

    /// <summary>Calico's pool delete: every host gives up its blocks in the pool (empty ones are deleted).</summary>
    internal Task ReleasePoolAffinitiesAsync(IPPrefix cidr, CancellationToken cancellationToken) =>
        Ipam.ReleaseAffinitiesAsync(cidr, cancellationToken: cancellationToken);

    /// <summary>Calico's node delete: the node's tunnel addresses are released and its blocks given up.</summary>
    internal async Task ReleaseNodeIpamAsync(string node, CancellationToken cancellationToken)
    {
        foreach (var type in Enum.GetValues<TunnelAddressType>())
        {
            try
            {
                await Ipam.ReleaseByHandleAsync(TunnelAddressTypes.Handle(type, node), cancellationToken).ConfigureAwait(false);
            }
            catch (ResourceNotFoundException)
            {
                // The node had no address of this type.
            }
        }
        await Ipam.ReleaseHostAffinitiesAsync(node, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => Store.Dispose();
}
