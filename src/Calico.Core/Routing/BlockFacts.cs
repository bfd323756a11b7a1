using Calico.Ipam;
using Calico.Net;

namespace Calico.Routing;

/// <summary>One destination an IPAM block asks felix to route to a node.</summary>
internal sealed record BlockRoute(NetKey Destination, string Node);

/// <summary>
/// What the planner keeps of an IPAM block: its CIDR, its affine node and the routes it contributes. The block's
/// allocation arrays are not kept, so 40,000 blocks cost a few megabytes.
/// </summary>
internal sealed class BlockFacts
{
    public required NetKey Key { get; init; }
    public required IPPrefix Cidr { get; init; }
    /// <summary>The node of "host:X" (or "virtual:X"), as model.AllocationBlock.Host (model/block.go:209-217); null if none.</summary>
    public string? Host { get; init; }
    public required BlockRoute[] Routes { get; init; }

    /// <summary>The CIDR as reasons print it, made once.</summary>
    public string CidrText => _cidrText ??= Cidr.ToString();
    private string? _cidrText;

    /// <summary>
    /// routesFromBlock (l3_route_resolver.go:655-689): a /32 (/128) for each allocation whose node is not the block's,
    /// then the block to its node. felix keys them by destination, so in a /32 block the block's own route wins.
    /// </summary>
    public static BlockFacts From(AllocationBlock block, NodeNames names)
    {
        var key = NetKey.FromPrefix(block.Cidr);
        var host = string.IsNullOrEmpty(block.Host) ? null : names.Intern(block.Host);
        var routes = new List<BlockRoute>(host is null ? 4 : 1);
        if (block.Allocations is { } allocations)
        {
            for (var ordinal = 0; ordinal < allocations.Count; ordinal++)
            {
                if (allocations[ordinal] is null) continue;
                // NonAffineAllocations (model/block.go:234-257) skips allocations of the block's own node.
                var node = block.AttributeOf(ordinal)?.Node ?? "";
                if (host is not null && node == host) continue;
                // An allocation that names no node cannot be routed; felix only warns (l3_route_resolver.go:666-670).
                if (node.Length == 0) continue;
                routes.Add(new BlockRoute(key.HostAt(ordinal), names.Intern(node)));
            }
        }
        if (host is not null)
        {
            // Only a single-address block can have an allocation at its own CIDR; the block's route replaces it.
            if (key.IsHost) routes.Clear();
            routes.Add(new BlockRoute(key, host));
        }
        return new BlockFacts
        {
            Key = key,
            Cidr = block.Cidr.Network,
            Host = host,
            Routes = routes.ToArray(),
        };
    }
}
