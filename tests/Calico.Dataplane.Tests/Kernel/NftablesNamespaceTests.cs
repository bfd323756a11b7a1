using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;

namespace Calico.Dataplane.Tests.Kernel;

/// <summary>Calico's nftables table replaced in one transaction, in real namespaces.</summary>
public class NftablesNamespaceTests
{
    private static readonly NftablesTable Calico = new("ip", "calico");
    private static readonly NftablesTable Other = new("ip", "other");

    private const string OtherTable = """
        table ip other {
        	chain input {
        		type filter hook input priority filter; policy accept;
        		ip saddr 10.9.9.9 counter drop
        	}
        }
        """;

    private const string CalicoV1 = """
        set cali40masq-ipam-pools {
        	type ipv4_addr
        	flags interval
        	elements = { 192.168.0.0/16 }
        }
        chain nat-POSTROUTING {
        	type nat hook postrouting priority srcnat + 10; policy accept;
        	ip saddr @cali40masq-ipam-pools counter masquerade
        }
        """;

    private const string CalicoV2 = """
        set cali40masq-ipam-pools {
        	type ipv4_addr
        	flags interval
        	elements = { 10.244.0.0/16 }
        }
        """;

    [NamespaceFact]
    public void Replacing_calicos_table_leaves_other_tables_exactly_as_they_were()
    {
        using var lab = Lab.Create("node");
        var kernel = lab.Kernel("node");
        kernel.ApplyNftables(OtherTable);
        kernel.ApplyNftables(NftablesScript.ReplaceTable(Calico, CalicoV1));
        var otherBefore = kernel.GetNftablesTable(Other);

        kernel.ApplyNftables(NftablesScript.ReplaceTable(Calico, CalicoV2));

        Assert.Equal([Other, Calico], kernel.GetNftablesTables());
        Assert.Equal(otherBefore, kernel.GetNftablesTable(Other));
        var calico = kernel.GetNftablesTable(Calico)!;
        Assert.Contains("10.244.0.0/16", calico);
        Assert.DoesNotContain("192.168.0.0/16", calico);
        Assert.DoesNotContain("nat-POSTROUTING", calico);
    }

    [NamespaceFact]
    public void Replacing_works_when_the_table_does_not_exist_yet_and_delete_is_idempotent()
    {
        using var lab = Lab.Create("node");
        var kernel = lab.Kernel("node");
        Assert.Null(kernel.GetNftablesTable(Calico));
        kernel.ApplyNftables(NftablesScript.ReplaceTable(Calico, CalicoV1));
        Assert.Contains("nat-POSTROUTING", kernel.GetNftablesTable(Calico));
        kernel.ApplyNftables(NftablesScript.DeleteTable(Calico));
        kernel.ApplyNftables(NftablesScript.DeleteTable(Calico));
        Assert.Empty(kernel.GetNftablesTables());
    }

    [NamespaceFact]
    public void A_failing_replacement_changes_nothing_and_names_the_bad_line()
    {
        using var lab = Lab.Create("node");
        var kernel = lab.Kernel("node");
        kernel.ApplyNftables(NftablesScript.ReplaceTable(Calico, CalicoV1));
        var before = kernel.GetNftablesTable(Calico);

        var script = NftablesScript.ReplaceTable(Calico, CalicoV2 + "\nchain broken {\n\tip saddr @no-such-set drop\n}\n");
        var e = Assert.Throws<KernelCommandException>(() => kernel.ApplyNftables(script));

        Assert.Equal(before, kernel.GetNftablesTable(Calico));
        Assert.NotNull(e.FailedLine);
        Assert.Equal("ip saddr @no-such-set drop", e.FailedLineText);
        Assert.Contains("no-such-set", e.Message);
    }

    [NamespaceFact]
    public void Lab_namespaces_do_not_touch_the_hosts_tables()
    {
        var host = new IpRoute2Kernel();
        var before = host.GetNftablesTables();
        using (var lab = Lab.Create("node"))
        {
            lab.Kernel("node").ApplyNftables(NftablesScript.ReplaceTable(Calico, CalicoV1));
        }
        Assert.Equal(before, host.GetNftablesTables());
    }
}
