using System.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>An ARP or NDP entry, as `ip neigh show` reports it.</summary>
public sealed record Neighbour
{
    public required IPAddress Address { get; init; }
    public required string Device { get; init; }

    /// <summary>The link-layer address; null while unresolved (INCOMPLETE, FAILED).</summary>
    public string? LinkLayerAddress { get; init; }

    public NeighbourState State { get; init; }

    /// <summary>The neighbour announced itself as a router (IPv6).</summary>
    public bool IsRouter { get; init; }
}

/// <summary>Neighbour unreachability detection states (NUD_*), with the kernel's bit values.</summary>
[Flags]
public enum NeighbourState
{
    None = 0x00,
    Incomplete = 0x01,
    Reachable = 0x02,
    Stale = 0x04,
    Delay = 0x08,
    Probe = 0x10,
    Failed = 0x20,
    NoArp = 0x40,
    Permanent = 0x80,
}
