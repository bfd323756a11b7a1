using Calico.Analysis.Checks;
using Calico.Routing;

namespace Calico.Analysis;

/// <summary>
/// Test-CalicoNetwork's checks: each looks at the snapshot the way felix, calico-node and IPAM would, and reports one
/// finding per problem, with a fix. Nothing is written.
/// </summary>
public static class NetworkChecker
{
    /// <summary>
    /// Runs <paramref name="checks"/> (all when null) and returns their findings, errors first, then warnings, then
    /// information, each group in check order.
    /// </summary>
    public static IReadOnlyList<NetworkFinding> Run(ClusterSnapshot snapshot, RouteSettings? settings = null, IEnumerable<NetworkCheck>? checks = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var wanted = checks?.ToHashSet() ?? Enum.GetValues<NetworkCheck>().ToHashSet();
        var context = new CheckContext(snapshot, settings ?? RouteSettings.Default);
        // Every check but Reachability runs, wanted or not: Reachability leaves to them what they explain.
        var findings = new List<NetworkFinding>();
        findings.AddRange(NodeAddressCheck.Run(context));
        findings.AddRange(NodeSubnetCheck.Run(context));
        findings.AddRange(AsymmetricPairCheck.Run(context));
        findings.AddRange(TunnelAddressCheck.Run(context));
        findings.AddRange(PoolSelectorCheck.Run(context));
        findings.AddRange(SubnetOverlapCheck.Run(context));
        findings.AddRange(PoolOverlapCheck.Run(context));
        findings.AddRange(EncapsulationCheck.Run(context));
        findings.AddRange(IPv6IPIPCheck.Run(context));
        findings.AddRange(DisabledPoolCheck.Run(context));
        if (wanted.Contains(NetworkCheck.Reachability)) findings.AddRange(ReachabilityCheck.Run(context, findings));
        return findings
            .Where(f => wanted.Contains(f.Check))
            .Select((f, i) => (f, i))
            .OrderByDescending(x => x.f.Severity)
            .ThenBy(x => x.f.Check)
            .ThenBy(x => x.i)
            .Select(x => x.f)
            .ToList();
    }
}
