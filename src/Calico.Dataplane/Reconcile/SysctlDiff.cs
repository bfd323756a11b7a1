using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// The forwarding switches felix turns on with its default IPForwarding: Enabled (int_dataplane.go:2769-2782):
/// net.ipv4.ip_forward, and net.ipv6.conf.all.forwarding when the cluster has IPv6 pools. (felix sets the IPv6 one
/// whenever IPv6 is enabled; it also stops the host accepting router advertisements, so here it waits for an IPv6 pool.)
/// </summary>
internal static class SysctlDiff
{
    public static readonly SysctlKey IPv4Forwarding = SysctlKey.Parse("net.ipv4.ip_forward");
    public static readonly SysctlKey IPv6Forwarding = SysctlKey.Parse("net.ipv6.conf.all.forwarding");

    public static IEnumerable<SysctlKey> Keys => [IPv4Forwarding, IPv6Forwarding];

    public static void Diff(DiffContext c)
    {
        Want(c, IPv4Forwarding, "1", "felix's IPForwarding: Enabled: workload traffic is routed through the host");
        if (c.Plan.Settings.IPv6Support && c.Plan.Nat.Any(n => n.Family == 6 && n.AllPools.Count > 0))
            Want(c, IPv6Forwarding, "1", "felix's IPForwarding: Enabled, with IPv6 pools");
    }

    private static void Want(DiffContext c, SysctlKey key, string value, string reason)
    {
        // A key the kernel does not have (IPv6 disabled) cannot be set; there is nothing to forward then either.
        if (!c.Kernel.Sysctls.TryGetValue(key, out var current) || current.Trim() == value) return;
        c.Add(new DataplaneChange(ChangeKind.Change, DataplaneObject.Sysctl, key.ToString(), $"{key} = {current.Trim()}", $"{key} = {value}")
        {
            Reason = reason,
            Batch = b => b.SetSysctl(key, value),
        });
    }
}
