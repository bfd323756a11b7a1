using Calico.Resources;

namespace Calico.Ipam;

/// <summary>
/// Where IPAM gets the pools and nodes it decides with. The caller reads them (from a ResourceStore, a manifest, a
/// test), so IPAM itself only touches its own keys.
/// </summary>
public interface IIpamCluster
{
    /// <summary>Every pool, disabled ones included.</summary>
    Task<IReadOnlyList<IPPool>> GetPoolsAsync(CancellationToken cancellationToken);

    /// <summary>The node, or null when there is none of that name.</summary>
    Task<Node?> GetNodeAsync(string name, CancellationToken cancellationToken);
}

/// <summary>A fixed set of pools and nodes, read once by the caller.</summary>
public sealed class IpamCluster : IIpamCluster
{
    private readonly IReadOnlyList<IPPool> _pools;
    private readonly Dictionary<string, Node> _nodes;

    public IpamCluster(IEnumerable<IPPool> pools, IEnumerable<Node>? nodes = null)
    {
        _pools = pools.ToList();
        _nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var node in nodes ?? []) _nodes[node.Name] = node;
    }

    public Task<IReadOnlyList<IPPool>> GetPoolsAsync(CancellationToken cancellationToken) => Task.FromResult(_pools);

    public Task<Node?> GetNodeAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_nodes.TryGetValue(name, out var node) ? node : null);
}
