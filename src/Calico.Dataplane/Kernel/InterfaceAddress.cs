using System.Net;
using Calico.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>An address on a device, as `ip address show` reports it.</summary>
public sealed record InterfaceAddress
{
    public required int LinkIndex { get; init; }
    public required string LinkName { get; init; }

    /// <summary>The local address with its prefix length, host bits kept: 10.0.2.15/24.</summary>
    public required IPPrefix Prefix { get; init; }

    /// <summary>The peer of a point-to-point address (`ip addr add A peer P`); null otherwise.</summary>
    public IPAddress? Peer { get; init; }

    /// <summary>The scope number (0 global, 200 site, 253 link, 254 host); see <see cref="RouteScope"/>.</summary>
    public int Scope { get; init; }

    public AddressFlags Flags { get; init; }

    public string? Label { get; init; }
}

/// <summary>The IFA_F_* flags iproute2 shows beside an address.</summary>
[Flags]
public enum AddressFlags
{
    None = 0,
    Secondary = 0x01,
    NoDad = 0x02,
    Optimistic = 0x04,
    DadFailed = 0x08,
    HomeAddress = 0x10,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,
    ManageTemporaryAddress = 0x100,
    NoPrefixRoute = 0x200,
    MulticastAutoJoin = 0x400,
    StablePrivacy = 0x800,
}
