namespace Calico.Routing;

/// <summary>
/// How the plan changed after one update. A changed destination shows as its old entry in <see cref="Removed"/> and its
/// new one in <see cref="Added"/>; devices and NAT sets are small, so they are only flagged and read from the new plan.
/// </summary>
public sealed class RoutePlanDelta
{
    internal RoutePlanDelta(
        IReadOnlyList<PlannedRoute> added, IReadOnlyList<PlannedRoute> removed,
        IReadOnlyList<VxlanNeighbour> neighboursAdded, IReadOnlyList<VxlanNeighbour> neighboursRemoved,
        IReadOnlyList<VxlanForwardingEntry> forwardingAdded, IReadOnlyList<VxlanForwardingEntry> forwardingRemoved,
        bool devicesChanged, bool natChanged)
    {
        Added = added;
        Removed = removed;
        NeighboursAdded = neighboursAdded;
        NeighboursRemoved = neighboursRemoved;
        ForwardingAdded = forwardingAdded;
        ForwardingRemoved = forwardingRemoved;
        DevicesChanged = devicesChanged;
        NatChanged = natChanged;
    }

    public IReadOnlyList<PlannedRoute> Added { get; }
    public IReadOnlyList<PlannedRoute> Removed { get; }
    public IReadOnlyList<VxlanNeighbour> NeighboursAdded { get; }
    public IReadOnlyList<VxlanNeighbour> NeighboursRemoved { get; }
    public IReadOnlyList<VxlanForwardingEntry> ForwardingAdded { get; }
    public IReadOnlyList<VxlanForwardingEntry> ForwardingRemoved { get; }
    public bool DevicesChanged { get; }
    public bool NatChanged { get; }

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && NeighboursAdded.Count == 0 && NeighboursRemoved.Count == 0
        && ForwardingAdded.Count == 0 && ForwardingRemoved.Count == 0 && !DevicesChanged && !NatChanged;

    public override string ToString() =>
        $"+{Added.Count}/-{Removed.Count} routes, +{NeighboursAdded.Count}/-{NeighboursRemoved.Count} neighbours, "
        + $"+{ForwardingAdded.Count}/-{ForwardingRemoved.Count} fdb{(DevicesChanged ? ", devices changed" : "")}{(NatChanged ? ", NAT changed" : "")}";
}
