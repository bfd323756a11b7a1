namespace Calico.Analysis;

/// <summary>How much a finding matters.</summary>
public enum Severity
{
    /// <summary>Worth knowing; nothing is broken.</summary>
    Information,
    /// <summary>Works, but not as one would expect, or breaks under conditions the datastore cannot show.</summary>
    Warning,
    /// <summary>Traffic that should flow does not, or Calico would refuse the configuration.</summary>
    Error,
}

/// <summary>The checks Test-CalicoNetwork runs; each finding names the one that found it.</summary>
public enum NetworkCheck
{
    /// <summary>Nodes with no IPv4 address, or one stored without a prefix length.</summary>
    NodeAddress,
    /// <summary>Nodes stored as /32 while a pool is CrossSubnet (the pre-v2.1 problem).</summary>
    NodeSubnet,
    /// <summary>Node pairs where one sends unencapsulated and the other tunnels back under CrossSubnet.</summary>
    AsymmetricPair,
    /// <summary>Nodes without the IPIP or VXLAN tunnel address their encapsulation needs.</summary>
    TunnelAddress,
    /// <summary>Pools whose nodeSelector selects no node, or does not parse.</summary>
    PoolSelector,
    /// <summary>Node addresses or subnets that overlap a pool's CIDR.</summary>
    SubnetOverlap,
    /// <summary>Pools that overlap one another, or share a CIDR.</summary>
    PoolOverlap,
    /// <summary>A pool with both IPIP and VXLAN on, or IPIP and VXLAN pools in use together.</summary>
    Encapsulation,
    /// <summary>IPv6 pools with an IPIP mode.</summary>
    IPv6IPIP,
    /// <summary>Disabled pools that still route, or still switch an encapsulation on.</summary>
    DisabledPool,
    /// <summary>Workloads a node cannot reach, for reasons no other check explains.</summary>
    Reachability,
}

/// <summary>One problem in the cluster's networking configuration, with what to do about it.</summary>
public sealed record NetworkFinding(Severity Severity, NetworkCheck Check, string Subject, string Message, string Fix)
{
    public override string ToString() => $"{Severity} {Check} {Subject}: {Message} Fix: {Fix}";
}
