using System.Net;
using Calico.Net;

namespace Calico.Routing;

public enum TunnelKind { IPIP, VXLAN }

/// <summary>What the dataplane should do with a tunnel device.</summary>
public enum TunnelDeviceAction
{
    /// <summary>Create it if missing and keep it as planned.</summary>
    Configure,
    /// <summary>Leave the device but delete its addresses: IPIP implicitly off (int_dataplane.go:1424-1429).</summary>
    RemoveAddresses,
    /// <summary>Delete the device: VXLAN off (int_dataplane.go:921-924,1541-1544).</summary>
    Delete,
    /// <summary>Do not touch it.</summary>
    LeaveAlone,
}

/// <summary>One tunnel device this node should (or should not) have.</summary>
public sealed record TunnelDevicePlan
{
    public const string IPIPDevice = "tunl0";
    public const string VXLANDevice = "vxlan.calico";
    public const string VXLANDeviceV6 = "vxlan-v6.calico";

    public required string Name { get; init; }
    public required TunnelKind Kind { get; init; }
    public required int Family { get; init; }
    public required TunnelDeviceAction Action { get; init; }
    /// <summary>The device's one address, /32 or /128; null when none can be given.</summary>
    public IPPrefix? Address { get; init; }
    public int? Mtu { get; init; }
    public int? Vni { get; init; }
    public int? Port { get; init; }
    public string? Mac { get; init; }
    /// <summary>The VXLAN source address (the node's own address) and the device it sits on.</summary>
    public IPAddress? LocalAddress { get; init; }
    public string? ParentInterface { get; init; }
    public required string Reason { get; init; }
    /// <summary>Why a device to configure cannot be configured yet; null when nothing is missing.</summary>
    public string? Problem { get; init; }

    public bool Needed => Action == TunnelDeviceAction.Configure;

    public override string ToString() => Action switch
    {
        TunnelDeviceAction.Configure when Problem is not null => $"{Name}: cannot configure: {Problem}",
        TunnelDeviceAction.Configure => Kind == TunnelKind.IPIP
            ? $"{Name}: ipip, address {Address}, mtu {Mtu}"
            : $"{Name}: vxlan id {Vni} dstport {Port} local {LocalAddress} dev {ParentInterface}, address {Address}, lladdr {Mac}, mtu {Mtu}",
        _ => $"{Name}: {Action}",
    };
}
