using System.Net;
using Calico.Datastore;
using Calico.Resources;

namespace Calico.Ipam;

/// <summary>
/// Calico's IP address management over any <see cref="IKeyValueStore"/>, with Calico's keys, JSON and algorithm
/// (libcalico-go lib/ipam), so this module and calico-node can share one datastore. Every write is a
/// compare-and-swap: any number of clients, in any number of processes, never hand out one address twice.
/// </summary>
public sealed partial class IpamClient
{
    /// <summary>How often an operation is retried when other writers keep winning (libcalico-go datastoreRetries).</summary>
    public const int DatastoreRetries = 100;

    private readonly IpamStore _store;
    private readonly BlockClaims _claims;
    private readonly IIpamCluster _cluster;
    private readonly TimeProvider _clock;

    /// <param name="store">The datastore holding /calico/ipam/v2/.</param>
    /// <param name="cluster">Where pools and nodes come from.</param>
    /// <param name="clock">The clock for claim times and release cooldowns; the system clock by default.</param>
    public IpamClient(IKeyValueStore store, IIpamCluster cluster, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(cluster);
        _store = new IpamStore(store);
        _cluster = cluster;
        _clock = clock ?? TimeProvider.System;
        _claims = new BlockClaims(_store, _clock);
    }

    /// <summary>A client deciding with a fixed set of pools and nodes.</summary>
    public IpamClient(IKeyValueStore store, IEnumerable<IPPool> pools, IEnumerable<Node> nodes, TimeProvider? clock = null)
        : this(store, new IpamCluster(pools, nodes), clock)
    {
    }

    /// <summary>The stored IPAM config, or Calico's defaults when none is stored (nothing is written).</summary>
    public Task<IpamConfig> GetConfigAsync(CancellationToken cancellationToken = default) => _store.GetConfigAsync(cancellationToken);

    /// <summary>
    /// Who owns an assigned address: its handle and attributes (libcalico-go GetAssignmentAttributes). Null when the
    /// address lies in no enabled pool or is not assigned.
    /// </summary>
    /// <exception cref="IpamException">The address was released and is cooling down.</exception>
    public async Task<AllocationAttribute?> GetAssignmentAttributesAsync(IPAddress address, CancellationToken cancellationToken = default)
    {
        var pool = IpamPool.Containing(await EnabledPoolsAsync(Family(address), cancellationToken).ConfigureAwait(false), address);
        if (pool is null) return null;
        var config = await GetConfigAsync(cancellationToken).ConfigureAwait(false);
        var stored = await _store.GetBlockAsync(pool.BlockFor(address), cancellationToken).ConfigureAwait(false);
        if (stored is null) return null;
        stored.Block.CollectGarbage(config.IPCooldownSeconds, _clock.GetUtcNow());
        try
        {
            return stored.Block.AssignmentOf(address);
        }
        catch (IpamException ex) when (ex.Reason == IpamErrorReason.AddressNotAssigned)
        {
            return null;
        }
    }

    private async Task<List<IpamPool>> AllPoolsAsync(CancellationToken ct) =>
        IpamPool.From(await _cluster.GetPoolsAsync(ct).ConfigureAwait(false));

    private async Task<List<IpamPool>> EnabledPoolsAsync(int family, CancellationToken ct) =>
        (await AllPoolsAsync(ct).ConfigureAwait(false)).Where(p => p.IsEnabled && p.Cidr.Family == family).ToList();

    private static int Family(IPAddress address) => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 6 : 4;

    private static IpamException TooManyRetries(string what) =>
        new(IpamErrorReason.TooManyRetries, $"{what}: max retries hit - excessive concurrent IPAM requests");
}
