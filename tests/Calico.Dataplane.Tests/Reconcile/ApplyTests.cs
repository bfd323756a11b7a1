using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Dataplane.Tests.Support;
using static Calico.Dataplane.Tests.Reconcile.SeedKernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>How a diff is applied: one batch, the ipip check before anything, and which changes a failure left applied.</summary>
public class ApplyTests
{
    private static KernelFeatureStatus NoIpip(KernelFeature feature) =>
        new(feature, false, "an ipip (IP-in-IP) device is not available: the kernel said \"Error: Unknown device type.\"");

    [Fact]
    public void All_ip_and_bridge_changes_go_in_one_batch_in_dependency_order()
    {
        var kernel = Bare();
        var reconciler = new DataplaneReconciler(kernel, _ => throw new InvalidOperationException("no probe expected"));

        reconciler.Sync(VxlanPlan(nat: true));

        var batch = Assert.Single(kernel.Batches);
        Assert.Equal(
            ["link add name vxlan.calico address 66:f9:37:c3:7e:94 mtu 1450 type vxlan id 4096 local 10.0.2.15 dev eth0 dstport 4789 nolearning",
             "link set dev vxlan.calico up",
             "address add 192.168.1.0/32 dev vxlan.calico",
             "route add blackhole 192.168.1.0/26 proto 80 scope 0 table 254",
             "route add 192.168.2.0/26 via 192.168.2.0 dev vxlan.calico onlink proto 3 scope 0 table 254 mtu 1450",
             "route add 192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto 3 scope 0 table 254 mtu 1450",
             "neigh replace 192.168.2.0 lladdr 66:2d:bf:44:a6:8b dev vxlan.calico nud permanent",
             "neigh replace 192.168.3.0 lladdr 66:a4:6f:e0:c4:da dev vxlan.calico nud permanent"],
            batch.IpCommands);
        Assert.Equal(2, batch.BridgeCommands.Count);
        Assert.Single(kernel.Scripts);
    }

    [Fact]
    public void A_plan_needing_tunl0_on_a_kernel_without_ipip_fails_naming_the_module_before_any_change()
    {
        var kernel = Bare();
        var reconciler = new DataplaneReconciler(kernel, NoIpip);
        var diff = reconciler.Diff(IpipPlan());

        var error = Assert.Throws<KernelFeatureMissingException>(() => reconciler.Apply(diff));

        Assert.Equal(KernelFeature.Ipip, error.Feature);
        Assert.Contains("modprobe ipip", error.Message);
        Assert.Contains("CONFIG_NET_IPIP", error.Message);
        Assert.Contains("nothing was changed", error.Message);
        Assert.Empty(kernel.Batches);
        Assert.Empty(kernel.Scripts);
    }

    [Fact]
    public void An_existing_ipip_tunl0_needs_no_probe()
    {
        var kernel = Bare().Device(new Link { Index = 9, Name = "tunl0", Kind = "ipip", Mtu = 1480, Flags = ["UP"], OperationalState = "UNKNOWN" });
        new DataplaneReconciler(kernel, NoIpip).Sync(IpipPlan());
        Assert.Contains("address add 192.168.1.0/32 dev tunl0", Assert.Single(kernel.Batches).IpCommands);
    }

    [Fact]
    public void Tunl0_is_created_only_when_loading_ipip_did_not_make_it()
    {
        var kernel = Bare();
        var reconciler = new DataplaneReconciler(kernel, f => new KernelFeatureStatus(f, true, "works"));
        reconciler.Sync(IpipPlan());
        Assert.Equal(["link add name tunl0 type ipip", "link set dev tunl0 mtu 1480 up"], kernel.Batches[0].IpCommands.Take(2));

        // The probe loaded ipip and the kernel made its fallback tunl0 meanwhile: configure that one.
        var loaded = Bare();
        var diff = new DataplaneReconciler(loaded, _ => throw new InvalidOperationException()).Diff(IpipPlan());
        loaded.Device(new Link { Index = 9, Name = "tunl0", Kind = "ipip", Mtu = 1480, OperationalState = "DOWN" });
        new DataplaneReconciler(loaded, f => new KernelFeatureStatus(f, true, "works")).Apply(diff);
        Assert.Equal("link set dev tunl0 mtu 1480 up", loaded.Batches[0].IpCommands[0]);
    }

    [Fact]
    public void A_failed_batch_line_tells_which_changes_were_applied_and_which_failed()
    {
        var kernel = Bare();
        var reconciler = new DataplaneReconciler(kernel, _ => throw new InvalidOperationException());
        var diff = reconciler.Diff(VxlanPlan());
        // Line 4 is the blackhole route: the device (lines 1-2) and its address (3) went in before it.
        kernel.Failure = new KernelCommandException("ip -batch -", 1, "RTNETLINK answers: File exists", 4, "route add blackhole 192.168.1.0/26 proto 80 scope 0 table 254");

        var error = Assert.Throws<DataplaneApplyException>(() => reconciler.Apply(diff));

        Assert.Equal(["Add TunnelDevice vxlan.calico", "Add Address vxlan.calico"], error.Applied.Select(c => $"{c.Kind} {c.Object} {c.Target}"));
        Assert.Equal("192.168.1.0/26", error.Failed!.Target);
        Assert.StartsWith("Add route blackhole 192.168.1.0/26 proto 80: 'ip -batch -' failed with exit code 1 at line 4", error.Message);
    }

    [Fact]
    public void A_diff_is_applied_only_in_the_namespace_it_was_read_in()
    {
        var diff = new DataplaneReconciler(Bare(), _ => throw new InvalidOperationException()).Diff(VxlanPlan());
        var elsewhere = new RecordingKernel(new IpRoute2Kernel(NetworkNamespace.Named("elsewhere"), new ScriptedRunner()));
        var error = Assert.Throws<ArgumentException>(() => new DataplaneReconciler(elsewhere).Apply(diff));
        Assert.StartsWith("diff: made for network namespace (current), not elsewhere", error.Message);
    }
}
