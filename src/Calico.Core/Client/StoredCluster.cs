using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;

namespace Calico.Client;

/// <summary>IPAM's view of the cluster, read from the datastore when IPAM asks.</summary>
internal sealed class StoredCluster : IIpamCluster
{
    private readonly ResourceStore _resources;

    public StoredCluster(ResourceStore resources) => _resources = resources;

    public async Task<IReadOnlyList<IPPool>> GetPoolsAsync(CancellationToken cancellationToken) =>
        (await _resources.ListAsync<IPPool>(cancellationToken).ConfigureAwait(false)).Items;

    public async Task<Node?> GetNodeAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _resources.GetAsync<Node>(name, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }
}
