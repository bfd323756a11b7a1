using System.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>A forwarding database entry, as `bridge fdb show` reports it.</summary>
public sealed record FdbEntry
{
    public required string MacAddress { get; init; }
    public required string Device { get; init; }

    /// <summary>The remote VTEP of a VXLAN entry (`dst`); null otherwise.</summary>
    public IPAddress? Destination { get; init; }

    /// <summary>The bridge a `master` entry belongs to.</summary>
    public string? Master { get; init; }

    public int? Vlan { get; init; }
    public int? Vni { get; init; }

    /// <summary>"self", "master", "extern_learn", "offload", "router", ...</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>"permanent", "static", "stale", or empty for a learned (reachable) entry.</summary>
    public string State { get; init; } = "";

    /// <summary>On the device itself (NTF_SELF), as Calico's VXLAN entries are.</summary>
    public bool IsSelf => Flags.Contains("self");

    public bool IsPermanent => State == "permanent";
}
