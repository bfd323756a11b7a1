using System.Net;
using System.Text;
using Calico.Dataplane.Kernel;
using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// felix's job on one host, for one network namespace: compare a <see cref="RoutePlan"/> with what the kernel has,
/// touching only what Calico owns (felix/routetable/route_table.go), and apply the difference — every link, address,
/// route, neighbour and FDB change in one <see cref="KernelBatch"/>, the NAT table in one nft transaction.
/// Applying a fresh diff of an applied plan finds nothing to do.
/// </summary>
public sealed class DataplaneReconciler
{
    private readonly IKernel _kernel;
    private readonly Func<KernelFeature, KernelFeatureStatus> _probe;

    /// <param name="kernel">The namespace to reconcile.</param>
    /// <param name="probe">Tells whether the kernel supports a feature; by default <see cref="KernelFeatures.Probe"/>.</param>
    public DataplaneReconciler(IKernel kernel, Func<KernelFeature, KernelFeatureStatus>? probe = null)
    {
        _kernel = kernel ?? throw new ArgumentNullException(nameof(kernel));
        _probe = probe ?? (feature => new KernelFeatures().Probe(feature));
    }

    /// <summary>
    /// Reads the kernel and compares it with the plan. <paramref name="facts"/> name the host interface the plan's
    /// "&lt;host-interface&gt;" stands for (<see cref="HostFacts.Read"/>); without them it is looked up by the VXLAN
    /// device's local address, when the plan has one.
    /// </summary>
    public DataplaneDiff Diff(RoutePlan plan, HostFacts? facts = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Compute(plan, facts, KernelSnapshot.Read(_kernel, plan, SysctlDiff.Keys), _kernel.Namespace);
    }

    /// <summary>How the kernel differs from the plan, for Test-CalicoDataplane; changes nothing.</summary>
    public DataplaneDrift Drift(RoutePlan plan, HostFacts? facts = null) => new(Diff(plan, facts));

    /// <summary>Diffs and applies in one go; returns the changes made.</summary>
    public IReadOnlyList<DataplaneChange> Sync(RoutePlan plan, HostFacts? facts = null) => Apply(Diff(plan, facts));

    /// <summary>
    /// Applies a diff made by <see cref="Diff"/> on this kernel and returns its changes. When the plan needs tunl0 and
    /// the kernel has no ipip, throws <see cref="KernelFeatureMissingException"/> before changing anything.
    /// </summary>
    /// <exception cref="DataplaneApplyException">The kernel refused a change; it says which changes were applied.</exception>
    public IReadOnlyList<DataplaneChange> Apply(DataplaneDiff diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        if (diff.Namespace != _kernel.Namespace)
            throw new ArgumentException($"diff: made for network namespace {diff.Namespace}, not {_kernel.Namespace}", nameof(diff));
        if (diff.IsEmpty) return [];
        if (diff.NeedsIpip && _probe(KernelFeature.Ipip) is { Available: false } missing) throw new KernelFeatureMissingException(missing);

        // Probing loads ipip, and loading it makes the kernel's own tunl0 in every namespace: create one only if it did not.
        var creates = diff.Changes.Any(c => c.CreatesIpipDevice is not null);
        var existing = creates ? _kernel.GetLinks().Select(l => l.Name).ToHashSet(StringComparer.Ordinal) : [];
        var batch = new KernelBatch();
        var nftables = new StringBuilder();
        var parts = new List<ChangeParts>(diff.Changes.Count);
        foreach (var change in diff.Changes)
        {
            var start = new ChangeParts(change, batch.IpCommands.Count, batch.BridgeCommands.Count, batch.Sysctls.Count, false);
            if (change.CreatesIpipDevice is { } name && !existing.Contains(name)) batch.AddIpip(name);
            change.Batch?.Invoke(batch);
            if (change.Nftables is { } script) nftables.Append(script);
            parts.Add(start with { IpEnd = batch.IpCommands.Count, BridgeEnd = batch.BridgeCommands.Count, SysctlEnd = batch.Sysctls.Count, Nftables = change.Nftables is not null });
        }
        try
        {
            if (!batch.IsEmpty) _kernel.Apply(batch);
            if (nftables.Length > 0) _kernel.ApplyNftables(nftables.ToString());
        }
        catch (KernelCommandException e)
        {
            throw Failure(e, parts);
        }
        return diff.Changes;
    }

    /// <summary>The diff from a snapshot already read: the pure part, which tests and measurements call directly.</summary>
    internal static DataplaneDiff Compute(RoutePlan plan, HostFacts? facts, KernelSnapshot snapshot, NetworkNamespace networkNamespace)
    {
        facts ??= HostFacts.From(snapshot.Links.Values.ToList(), snapshot.Addresses.SelectMany(a => a).ToList(), VxlanLocalAddress(plan));
        var context = new DiffContext(plan, facts, snapshot);
        TunnelDeviceDiff.Diff(context);
        RouteDiff.Diff(context);
        VxlanEntryDiff.Diff(context);
        SysctlDiff.Diff(context);
        NatDiff.Diff(context);
        return new DataplaneDiff(networkNamespace, facts, context.Changes, context.Warnings, context.NeedsIpip);
    }

    private static IPAddress? VxlanLocalAddress(RoutePlan plan) =>
        plan.Devices.FirstOrDefault(d => d.Kind == TunnelKind.VXLAN && d.Family == 4 && d.LocalAddress is not null)?.LocalAddress;

    private enum Phase { Ip, Bridge, Sysctl, Nftables }

    /// <summary>Where a change's commands sit: [start, end) in each tool's list, and whether it is in the nft script.</summary>
    private sealed record ChangeParts(DataplaneChange Change, int IpStart, int BridgeStart, int SysctlStart, bool Nftables)
    {
        public int IpEnd { get; init; }
        public int BridgeEnd { get; init; }
        public int SysctlEnd { get; init; }

        public IEnumerable<(Phase Phase, int Start, int End)> Spans()
        {
            if (IpEnd > IpStart) yield return (Phase.Ip, IpStart, IpEnd);
            if (BridgeEnd > BridgeStart) yield return (Phase.Bridge, BridgeStart, BridgeEnd);
            if (SysctlEnd > SysctlStart) yield return (Phase.Sysctl, SysctlStart, SysctlEnd);
            if (Nftables) yield return (Phase.Nftables, 0, 1);
        }
    }

    /// <summary>
    /// Tells applied changes from the rest: the tools run in phase order (ip, bridge, sysctls, nft) and each stops at
    /// its first failing line, so a change is applied when all its commands ran before the failure.
    /// </summary>
    private static DataplaneApplyException Failure(KernelCommandException e, List<ChangeParts> parts)
    {
        var failedPhase = e.Command.Contains("nft -f", StringComparison.Ordinal) ? Phase.Nftables
            : e.Command.Contains("<write /proc/sys>", StringComparison.Ordinal) ? Phase.Sysctl
            : e.Command.StartsWith("bridge", StringComparison.Ordinal) ? Phase.Bridge
            : Phase.Ip;
        // Lines are 1-based; an nft transaction applies nothing when it fails.
        var failedLine = failedPhase == Phase.Nftables ? null : e.FailedLine;
        bool Done(Phase phase, int end) =>
            phase < failedPhase || (phase == failedPhase && failedLine is { } line && end <= line - 1);
        var applied = parts
            .Where(p => p.Spans().Any() ? p.Spans().All(s => Done(s.Phase, s.End)) : failedPhase > Phase.Ip)
            .Select(p => p.Change).ToList();
        var failed = failedLine is { } at
            ? parts.FirstOrDefault(p => p.Spans().Any(s => s.Phase == failedPhase && s.Start < at && at <= s.End))?.Change
            : null;
        return new DataplaneApplyException(e, applied, failed);
    }
}
