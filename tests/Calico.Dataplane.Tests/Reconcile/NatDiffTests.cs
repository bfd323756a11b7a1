using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using static Calico.Dataplane.Tests.Reconcile.SeedKernel;

namespace Calico.Dataplane.Tests.Reconcile;

/// <summary>Calico's nftables table: added, kept when nft lists it the same, replaced whole when not, deleted without NAT.</summary>
public class NatDiffTests
{
    private static readonly NftablesTable Calico = new("ip", "calico");

    // What nft 1.0.6 lists for the table the seed's natOutgoing pool wants, wrapping and all.
    private const string Listed = """
        table ip calico {
        	set cali40masq-ipam-pools {
        		type ipv4_addr
        		flags interval
        		elements = { 192.168.0.0/16 }
        	}

        	set cali40network-ip-pools {
        		type ipv4_addr
        		flags interval
        		elements = { 192.168.0.0/16 }
        	}

        	chain nat-POSTROUTING {
        		type nat hook postrouting priority srcnat + 10; policy accept;
        		jump nat-cali-nat-outgoing
        	}

        	chain nat-cali-nat-outgoing {
        		ip saddr @cali40masq-ipam-pools ip daddr != @cali40network-ip-pools masquerade fully-random
        	}
        }

        """;

    [Fact]
    public void The_table_is_added_as_one_replace_script()
    {
        var change = Assert.Single(Diff(VxlanInSync(), VxlanPlan(nat: true)).Changes);
        Assert.Equal((ChangeKind.Add, DataplaneObject.NftablesTable, "ip calico"), (change.Kind, change.Object, change.Target));
        Assert.Equal(Listed.Replace("\r\n", "\n"), change.NewValue);
        Assert.StartsWith("table ip calico {}\ndelete table ip calico\ntable ip calico {\n", change.Nftables);
    }

    [Fact]
    public void A_table_nft_lists_the_same_needs_no_change_and_other_tables_are_never_looked_at()
    {
        var kernel = VxlanInSync();
        kernel.Tables[Calico] = Listed.Replace("\t\t\t", "   ");
        kernel.Tables[new NftablesTable("ip", "filter")] = "table ip filter {\n}\n";
        kernel.Tables[new NftablesTable("inet", "calico")] = "table inet calico {\n}\n";
        Assert.Empty(Diff(kernel, VxlanPlan(nat: true)).Changes);
    }

    [Fact]
    public void A_table_that_differs_is_replaced_whole_and_one_without_NAT_is_deleted()
    {
        var kernel = VxlanInSync();
        kernel.Tables[Calico] = Listed.Replace("masquerade fully-random", "masquerade");

        var change = Assert.Single(Diff(kernel, VxlanPlan(nat: true)).Changes);
        Assert.Equal(ChangeKind.Change, change.Kind);
        Assert.Contains("masquerade\n", change.OldValue);

        var delete = Assert.Single(Diff(kernel, VxlanPlan(nat: false)).Changes);
        Assert.Equal((ChangeKind.Delete, "table ip calico {}\ndelete table ip calico\n"), (delete.Kind, delete.Nftables));
    }
}
