using Calico.Resources;

namespace Calico.Ipam;

/// <summary>The tunnel devices calico-node gives addresses from IPAM (node/pkg/allocateip).</summary>
public enum TunnelAddressType
{
    /// <summary>tunl0's address, stored in spec.bgp.ipv4IPIPTunnelAddr.</summary>
    IPIP,
    /// <summary>vxlan.calico's address, stored in spec.ipv4VXLANTunnelAddr.</summary>
    VXLAN,
    /// <summary>vxlan-v6.calico's address, stored in spec.ipv6VXLANTunnelAddr.</summary>
    VXLANV6,
}

/// <summary>Calico's handle, attributes, field and pool rules for each tunnel address type.</summary>
internal static class TunnelAddressTypes
{
    public static string AttributeType(TunnelAddressType type) => type switch
    {
        TunnelAddressType.IPIP => AllocationAttribute.TypeIPIP,
        TunnelAddressType.VXLAN => AllocationAttribute.TypeVXLAN,
        _ => AllocationAttribute.TypeVXLANV6,
    };

    public static string Handle(TunnelAddressType type, string node) => type switch
    {
        TunnelAddressType.IPIP => "ipip-tunnel-addr-" + node,
        TunnelAddressType.VXLAN => "vxlan-tunnel-addr-" + node,
        _ => "vxlan-v6-tunnel-addr-" + node,
    };

    /// <summary>Exactly {"node": node, "type": type}, as calico-node writes them.</summary>
    public static Dictionary<string, string> Attributes(TunnelAddressType type, string node) => new(StringComparer.Ordinal)
    {
        [AllocationAttribute.NodeKey] = node,
        [AllocationAttribute.TypeKey] = AttributeType(type),
    };

    public static int Family(TunnelAddressType type) => type == TunnelAddressType.VXLANV6 ? 6 : 4;

    /// <summary>The node field's path, for messages.</summary>
    public static string FieldPath(TunnelAddressType type) => type switch
    {
        TunnelAddressType.IPIP => "spec.bgp.ipv4IPIPTunnelAddr",
        TunnelAddressType.VXLAN => "spec.ipv4VXLANTunnelAddr",
        _ => "spec.ipv6VXLANTunnelAddr",
    };

    public static string? Get(Node node, TunnelAddressType type) => type switch
    {
        TunnelAddressType.IPIP => node.Spec.BGP?.IPv4IPIPTunnelAddr,
        TunnelAddressType.VXLAN => node.Spec.IPv4VXLANTunnelAddr,
        _ => node.Spec.IPv6VXLANTunnelAddr,
    };

    /// <summary>Sets the address, creating spec.bgp for IPIP if needed.</summary>
    public static void Set(Node node, TunnelAddressType type, string address)
    {
        switch (type)
        {
            case TunnelAddressType.IPIP:
                (node.Spec.BGP ??= new NodeBGPSpec()).IPv4IPIPTunnelAddr = address;
                break;
            case TunnelAddressType.VXLAN:
                node.Spec.IPv4VXLANTunnelAddr = address;
                break;
            default:
                node.Spec.IPv6VXLANTunnelAddr = address;
                break;
        }
    }

    /// <summary>Clears the address; a bgp section left empty becomes null, since Calico rejects an empty one.</summary>
    public static void Clear(Node node, TunnelAddressType type)
    {
        switch (type)
        {
            case TunnelAddressType.IPIP:
                if (node.Spec.BGP is null) return;
                node.Spec.BGP.IPv4IPIPTunnelAddr = null;
                if (node.Spec.BGP.IsEmpty) node.Spec.BGP = null;
                break;
            case TunnelAddressType.VXLAN:
                node.Spec.IPv4VXLANTunnelAddr = null;
                break;
            default:
                node.Spec.IPv6VXLANTunnelAddr = null;
                break;
        }
    }

    /// <summary>
    /// The pools a tunnel address may come from (allocateip.go determineEnabledPoolCIDRs): the encapsulation is on
    /// (Always or CrossSubnet), the pool is neither disabled nor being deleted, the family fits, allowedUses is empty
    /// or has Tunnel, and the nodeSelector matches the node. A selector that does not parse leaves its pool out.
    /// </summary>
    public static List<IpamPool> EligiblePools(Node node, IEnumerable<IPPool> pools, TunnelAddressType type)
    {
        var result = new List<IpamPool>();
        foreach (var pool in IpamPool.From(pools))
        {
            var spec = pool.Pool.Spec;
            if (spec.AllowedUses is { Count: > 0 } uses && !uses.Contains(IPPoolAllowedUse.Tunnel)) continue;
            bool selects;
            try
            {
                selects = pool.SelectsNode(node.Metadata.Labels);
            }
            catch (IpamException)
            {
                continue;
            }
            if (!selects) continue;
            if (spec.Disabled || pool.Pool.Metadata.DeletionTimestamp is not null) continue;
            if (pool.Cidr.Family != Family(type)) continue;
            var encapsulated = type == TunnelAddressType.IPIP
                ? pool.Pool.IPIPMode is IPIPMode.Always or IPIPMode.CrossSubnet
                : pool.Pool.VXLANMode is VXLANMode.Always or VXLANMode.CrossSubnet;
            if (encapsulated) result.Add(pool);
        }
        return result;
    }
}
