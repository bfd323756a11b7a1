using Calico.Net;
using Calico.Resources;

namespace Calico.Manifests;

/// <summary>
/// A Calico v1 resource (apiVersion: v1), as calicoctl 1.x wrote them and the seed's manifests still do.
/// Only read, checked and converted to projectcalico.org/v3; never stored.
/// </summary>
public abstract class V1Resource
{
    public const string ApiVersionV1 = "v1";

    public string ApiVersion => ApiVersionV1;

    /// <summary>The v1 kind exactly as written in manifests: ipPool or node (case-sensitive).</summary>
    public abstract string Kind { get; }
}

/// <summary>A v1 ipPool (libcalico-go lib/apis/v1/ippool.go).</summary>
public sealed class V1IPPool : V1Resource
{
    public const string KindName = "ipPool";

    public override string Kind => KindName;

    /// <summary>metadata.cidr as written, host bits kept; a bare address reads as /32 or /128. Null when missing.</summary>
    public IPPrefix? Cidr { get; set; }

    /// <summary>spec.ipip; null when absent, which means no IP-in-IP.</summary>
    public V1IPIPConfiguration? IPIP { get; set; }

    /// <summary>spec.nat-outgoing.</summary>
    public bool NatOutgoing { get; set; }

    /// <summary>spec.disabled.</summary>
    public bool Disabled { get; set; }

    public override string ToString() => $"{Kind}/{Cidr}";
}

/// <summary>spec.ipip of a v1 ipPool.</summary>
public sealed class V1IPIPConfiguration
{
    /// <summary>The v1 modes: an empty mode means always.</summary>
    public const string ModeAlways = "always";
    public const string ModeCrossSubnet = "cross-subnet";

    public bool Enabled { get; set; }

    /// <summary>"", "always" or "cross-subnet", lower case.</summary>
    public string Mode { get; set; } = "";
}

/// <summary>A v1 node (libcalico-go lib/apis/v1/node.go).</summary>
public sealed class V1Node : V1Resource
{
    public const string KindName = "node";

    public override string Kind => KindName;

    /// <summary>metadata.name, the host name as v1 kept it (mixed case allowed).</summary>
    public string Name { get; set; } = "";

    /// <summary>spec.bgp; null when the node runs without BGP (policy-only).</summary>
    public V1NodeBGPSpec? BGP { get; set; }

    /// <summary>spec.orchRefs.</summary>
    public List<OrchRef>? OrchRefs { get; set; }

    public override string ToString() => $"{Kind}/{Name}";
}

/// <summary>spec.bgp of a v1 node.</summary>
public sealed class V1NodeBGPSpec
{
    public ASNumber? ASNumber { get; set; }

    /// <summary>The IPv4 address with its subnet (10.0.2.15/24); a bare address reads as /32.</summary>
    public IPPrefix? IPv4Address { get; set; }

    /// <summary>The IPv6 address with its subnet; a bare address reads as /128.</summary>
    public IPPrefix? IPv6Address { get; set; }
}
