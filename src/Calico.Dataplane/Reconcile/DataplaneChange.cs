using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Reconcile;

public enum ChangeKind { Add, Change, Delete }

/// <summary>The kind of kernel object a change is about.</summary>
public enum DataplaneObject { Route, TunnelDevice, Address, Neighbour, FdbEntry, NftablesTable, Sysctl }

/// <summary>
/// One difference between the route plan and the kernel, and how to remove it. Old and new values are in the
/// kernel tools' own words (`ip route`, `ip link`, `bridge fdb`, `nft list`), so `-WhatIf` can show exactly what
/// changes; a cmdlet emits one of these per change.
/// </summary>
public sealed class DataplaneChange
{
    internal DataplaneChange(ChangeKind kind, DataplaneObject @object, string target, string? oldValue, string? newValue)
    {
        Kind = kind;
        Object = @object;
        Target = target;
        OldValue = oldValue;
        NewValue = newValue;
    }

    public ChangeKind Kind { get; }
    public DataplaneObject Object { get; }

    /// <summary>What is changed: a destination ("192.168.2.0/26"), a device, "192.168.2.0 dev vxlan.calico", "ip calico", a sysctl.</summary>
    public string Target { get; }

    /// <summary>The kernel's current value; null for an addition.</summary>
    public string? OldValue { get; }

    /// <summary>The value the plan wants; null for a deletion.</summary>
    public string? NewValue { get; }

    /// <summary>Why the plan wants it (the planner's reason for a route, the device plan's for a device), when known.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Set when this change only follows from another one (an entry re-added because its device is recreated, one that
    /// goes away with its device): it is applied, but it is not drift of its own.
    /// </summary>
    public string? CausedBy { get; init; }

    /// <summary>The value that matters for the change: the new one for an addition, the old for a deletion, "old → new" otherwise.</summary>
    public string Value => Kind switch
    {
        ChangeKind.Add => NewValue ?? "",
        ChangeKind.Delete => OldValue ?? "",
        _ => $"{OldValue} → {NewValue}",
    };

    /// <summary>"Add route 192.168.2.0/26 via ...", "Change tunnel device tunl0: mtu 1480 down → mtu 1480 up", ...</summary>
    public string Description => Kind switch
    {
        ChangeKind.Add => $"Add {Noun} {NewValue}",
        ChangeKind.Delete => $"Delete {Noun} {OldValue}",
        _ => $"Change {Noun} {Target}: {OldValue} → {NewValue}",
    };

    /// <summary>Adds this change's commands to the `ip`/`bridge` batch; null when the change needs none (nftables, or it happens by itself).</summary>
    internal Action<KernelBatch>? Batch { get; init; }

    /// <summary>This change's part of the one nft transaction; null for other objects.</summary>
    internal string? Nftables { get; init; }

    /// <summary>
    /// The ipip device this change creates unless it exists by the time the change is applied: loading the ipip module
    /// makes the kernel's own tunl0, so whether to create one is only known then.
    /// </summary>
    internal string? CreatesIpipDevice { get; init; }

    private string Noun => Object switch
    {
        DataplaneObject.Route => "route",
        DataplaneObject.TunnelDevice => "tunnel device",
        DataplaneObject.Address => "address",
        DataplaneObject.Neighbour => "neighbour",
        DataplaneObject.FdbEntry => "FDB entry",
        DataplaneObject.NftablesTable => "nftables",
        _ => "sysctl",
    };

    public override string ToString() => Description;
}
