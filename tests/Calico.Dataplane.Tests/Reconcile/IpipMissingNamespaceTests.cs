using System.Net.Sockets;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Support;
using Calico.Resources;
using Calico.Tests.Routing;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>A test for a kernel without ipip (this machine's); skipped where ipip works.</summary>
public sealed class NoIpipFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(() =>
        NamespaceFactAttribute.MissingRequirement
        ?? (new KernelFeatures().Probe(KernelFeature.Ipip).Available ? "this kernel has ipip" : null));

    public NoIpipFactAttribute()
    {
        if (Reason.Value is { } reason) Skip = reason;
    }
}

public class IpipMissingNamespaceTests
{
    [NoIpipFact]
    public void An_IPIP_plan_on_a_kernel_without_ipip_fails_naming_ipip_and_changes_nothing()
    {
        using var node = new SeedNamespace();
        var before = State(node.Kernel);
        var plan = node.Plan([SeedLab.IPIPPool(IPIPMode.Always)], blockType: Calico.Ipam.AllocationAttribute.TypeIPIP);

        var error = Assert.Throws<KernelFeatureMissingException>(() => node.Sync(plan));

        Assert.Contains("no ipip support", error.Message);
        Assert.Contains("modprobe ipip", error.Message);
        Assert.Contains("CONFIG_NET_IPIP", error.Message);
        Assert.Contains("Unknown device type", error.Status.Reason);
        Assert.Empty(node.Kernel.Batches);
        Assert.Equal(before, State(node.Kernel));
    }

    private static string State(IKernelReader kernel) => string.Join('\n',
        kernel.GetLinks().Select(l => $"{l.Name} {l.Kind} {l.Mtu} {l.IsUp}")
            .Concat(kernel.GetAddresses().Select(a => $"{a.LinkName} {a.Prefix}"))
            .Concat(kernel.GetRoutes(AddressFamily.InterNetwork).Select(r => $"{r.Destination} {r.Device} {r.Protocol}"))
            .Concat(kernel.GetSysctls([SysctlDiff.IPv4Forwarding]).Select(s => $"{s.Key}={s.Value}")));
}
