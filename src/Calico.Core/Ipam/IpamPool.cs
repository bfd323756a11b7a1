using System.Net;
using Calico.Net;
using Calico.Resources;
using Calico.Selectors;

namespace Calico.Ipam;

/// <summary>
/// An IPPool as IPAM sees it, with the defaults libcalico-go fills in when it reads one (clientv3/ippool.go
/// convertIpPoolFromStorage): blockSize 26 / 122, allowedUses [Workload, Tunnel], nodeSelector all(),
/// assignmentMode Automatic.
/// </summary>
internal sealed class IpamPool
{
    private Selector? _nodeSelector;
    private Selector? _namespaceSelector;

    private IpamPool(IPPool pool, IPPrefix cidr)
    {
        Pool = pool;
        Cidr = cidr;
        BlockSize = pool.Spec.BlockSize != 0 ? pool.Spec.BlockSize : cidr.IsIPv6 ? 122 : 26;
        AllowedUses = pool.Spec.AllowedUses is { Count: > 0 } uses ? uses : [IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel];
    }

    public IPPool Pool { get; }
    public string Name => Pool.Name;
    public IPPrefix Cidr { get; }
    public int BlockSize { get; }
    public IReadOnlyList<IPPoolAllowedUse> AllowedUses { get; }
    public bool IsAutomatic => Pool.AssignmentMode == AssignmentMode.Automatic;

    /// <summary>
    /// Usable for new addresses: not disabled, not being deleted, not marked Allocatable=False by kube-controllers
    /// (libcalico-go clientv3/client.go filterIPPool).
    /// </summary>
    public bool IsEnabled => !Pool.Spec.Disabled && Pool.Metadata.DeletionTimestamp is null && !PoolStatus.IsNotAllocatable(Pool.StatusJson);

    /// <summary>Every pool with a CIDR that parses, in name order (etcd's key order), with Calico's read defaults.</summary>
    public static List<IpamPool> From(IEnumerable<IPPool> pools)
    {
        var result = new List<IpamPool>();
        foreach (var pool in pools)
            if (IPPrefix.TryParse(pool.Spec.Cidr, out var cidr)) result.Add(new IpamPool(pool, cidr.Network));
        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    public bool Allows(IPPoolAllowedUse use) => AllowedUses.Contains(use);

    /// <exception cref="IpamException">The pool's nodeSelector does not parse.</exception>
    public bool SelectsNode(IReadOnlyDictionary<string, string>? labels) =>
        string.IsNullOrEmpty(Pool.Spec.NodeSelector) || (_nodeSelector ??= Parse("nodeSelector", Pool.Spec.NodeSelector)).Matches(labels);

    /// <exception cref="IpamException">The pool's namespaceSelector does not parse.</exception>
    public bool SelectsNamespace(IReadOnlyDictionary<string, string>? labels) =>
        string.IsNullOrEmpty(Pool.Spec.NamespaceSelector)
        || (_namespaceSelector ??= Parse("namespaceSelector", Pool.Spec.NamespaceSelector)).Matches(labels);

    /// <summary>The block an address of this pool falls in.</summary>
    public IPPrefix BlockFor(IPAddress address) => new IPPrefix(address, BlockSize).Network;

    private Selector Parse(string field, string text) =>
        Selector.TryParse(text, out var selector, out var error) ? selector!
        : throw new IpamException(IpamErrorReason.InvalidSelector, $"IPPool {Name} spec.{field} \"{text}\" is not a valid selector: {error}");

    /// <summary>The first pool containing the address, or null (libcalico-go getPoolForIP).</summary>
    public static IpamPool? Containing(IEnumerable<IpamPool> pools, IPAddress address) =>
        pools.FirstOrDefault(p => p.Cidr.Contains(address));
}
