using System.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>How to create a VXLAN device; the defaults are Calico's (VNI 4096, port 4789, no learning).</summary>
public sealed record VxlanSettings
{
    public int Vni { get; init; } = 4096;
    public int Port { get; init; } = 4789;
    /// <summary>The source address of encapsulated packets: the node's IP.</summary>
    public IPAddress? Local { get; init; }
    /// <summary>The device encapsulated packets leave by: the interface holding the node's IP.</summary>
    public string? Device { get; init; }
    /// <summary>Calico turns learning off: its FDB entries are all programmed.</summary>
    public bool Learning { get; init; }
    public int? Mtu { get; init; }
    public string? MacAddress { get; init; }
}

/// <summary>Changes to an existing device; unset properties are left as they are.</summary>
public sealed record LinkSettings
{
    public int? Mtu { get; init; }
    /// <summary>True for up, false for down.</summary>
    public bool? Up { get; init; }
    public string? MacAddress { get; init; }
    /// <summary>Enslave to this bridge; "" releases the device from its master.</summary>
    public string? Master { get; init; }
}
