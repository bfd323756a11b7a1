using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// What it takes to bring one namespace's kernel to a route plan: the changes, in the order they are applied
/// (devices, addresses, routes, neighbours, FDB entries, sysctls, nftables), and what could not be done and why.
/// </summary>
public sealed class DataplaneDiff
{
    internal DataplaneDiff(NetworkNamespace networkNamespace, HostFacts facts, IReadOnlyList<DataplaneChange> changes,
        IReadOnlyList<string> warnings, bool needsIpip)
    {
        Namespace = networkNamespace;
        Facts = facts;
        Changes = changes;
        Warnings = warnings;
        NeedsIpip = needsIpip;
    }

    /// <summary>The namespace the kernel state was read in.</summary>
    public NetworkNamespace Namespace { get; }

    /// <summary>The host facts the plan's host interface was resolved with.</summary>
    public HostFacts Facts { get; }

    public IReadOnlyList<DataplaneChange> Changes { get; }

    /// <summary>Things left undone: objects of someone else's in the way, devices the plan cannot configure yet.</summary>
    public IReadOnlyList<string> Warnings { get; }

    public bool IsEmpty => Changes.Count == 0;

    /// <summary>The plan wants tunl0, which is not there yet: applying needs the kernel's ipip support.</summary>
    internal bool NeedsIpip { get; }

    public override string ToString() =>
        $"{Changes.Count} changes ({Changes.Count(c => c.Kind == ChangeKind.Add)} add, {Changes.Count(c => c.Kind == ChangeKind.Change)} change, "
        + $"{Changes.Count(c => c.Kind == ChangeKind.Delete)} delete), {Warnings.Count} warnings";
}
