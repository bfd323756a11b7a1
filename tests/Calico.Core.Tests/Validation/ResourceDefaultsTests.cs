using Calico.Resources;
using Calico.Serialization;
using Calico.Validation;
using static Calico.Tests.Validation.ValidationAssert;

namespace Calico.Tests.Validation;

/// <summary>What libcalico-go's client writes on create and update (clientv3/ippool.go:381-484).</summary>
public class ResourceDefaultsTests
{
    // The reference's example of a pool as the client stores it, defaults included (calico-semantics.md §1.2).
    private const string StoredExample =
        """{"kind":"IPPool","apiVersion":"projectcalico.org/v3","metadata":{"name":"p1","uid":"0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11","creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{"cidr":"192.168.0.0/16","vxlanMode":"Never","ipipMode":"CrossSubnet","natOutgoing":true,"blockSize":26,"nodeSelector":"all()","allowedUses":["Workload","Tunnel"],"assignmentMode":"Automatic"}}""";

    [Fact]
    public void A_pool_as_a_user_writes_it_is_stored_as_the_reference_shows()
    {
        var pool = new IPPool
        {
            Metadata = { Name = "p1", Uid = "0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11", CreationTimestamp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) },
            Spec = { Cidr = "192.168.0.0/16", IPIPMode = IPIPMode.CrossSubnet, NatOutgoing = true },
        };
        ResourceDefaults.Apply(pool);
        Assert.Equal(StoredExample, ResourceJson.Serialize(pool));
        Valid(pool);
    }

    [Fact]
    public void Applying_defaults_to_the_stored_example_changes_nothing()
    {
        var pool = ResourceJson.Deserialize<IPPool>(StoredExample);
        ResourceDefaults.Apply(pool);
        Assert.Equal(StoredExample, ResourceJson.Serialize(pool));
    }

    [Fact]
    public void An_empty_IPv4_pool_gets_every_default()
    {
        var pool = Pool("10.0.0.0/16");
        ResourceDefaults.Apply(pool);
        Assert.Equal("all()", pool.Spec.NodeSelector);
        Assert.Equal(26, pool.Spec.BlockSize);
        Assert.Equal([IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel], pool.Spec.AllowedUses);
        Assert.Equal(AssignmentMode.Automatic, pool.Spec.AssignmentMode);
        Assert.Equal(IPIPMode.Never, pool.Spec.IPIPMode);
        Assert.Equal(VXLANMode.Never, pool.Spec.VXLANMode);
    }

    [Fact]
    public void An_IPv6_pool_gets_blocks_of_122()
    {
        var pool = Pool("fd00::/48");
        ResourceDefaults.Apply(pool);
        Assert.Equal(122, pool.Spec.BlockSize);
    }

    [Fact]
    public void Values_already_set_are_kept()
    {
        var pool = Pool("10.0.0.0/16", s =>
        {
            s.NodeSelector = "has(edge)";
            s.BlockSize = 24;
            s.AllowedUses = [IPPoolAllowedUse.Workload];
            s.AssignmentMode = AssignmentMode.Manual;
            s.IPIPMode = IPIPMode.Always;
            s.VXLANMode = VXLANMode.Never;
        });
        ResourceDefaults.Apply(pool);
        Assert.Equal("has(edge)", pool.Spec.NodeSelector);
        Assert.Equal(24, pool.Spec.BlockSize);
        Assert.Equal([IPPoolAllowedUse.Workload], pool.Spec.AllowedUses);
        Assert.Equal(AssignmentMode.Manual, pool.Spec.AssignmentMode);
        Assert.Equal(IPIPMode.Always, pool.Spec.IPIPMode);
    }

    [Fact]
    public void An_empty_uses_list_counts_as_unset()
    {
        var pool = Pool("10.0.0.0/16", s => s.AllowedUses = []);
        ResourceDefaults.Apply(pool);
        Assert.Equal([IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel], pool.Spec.AllowedUses);
    }

    [Theory]
    [InlineData("FD00:0::/48", "fd00::/48")]
    [InlineData("fd00:0:0:0::/64", "fd00::/64")]
    [InlineData("2001:DB8::/32", "2001:db8::/32")]
    [InlineData("192.168.0.0/16", "192.168.0.0/16")]
    public void The_cidr_is_rewritten_in_canonical_form(string written, string stored)
    {
        var pool = Pool(written);
        ResourceDefaults.Apply(pool);
        Assert.Equal(stored, pool.Spec.Cidr);
    }

    [Fact]
    public void An_unmasked_cidr_is_left_for_the_validator_to_refuse()
    {
        var pool = Pool("192.168.1.5/16");
        ResourceDefaults.Apply(pool);
        Assert.Equal("192.168.1.5/16", pool.Spec.Cidr);
        Single(pool, "spec.cidr", "IPPool CIDR is not strictly masked");
    }

    [Fact]
    public void A_pool_without_a_usable_cidr_gets_no_block_size()
    {
        var pool = Pool("10.0.0.1");
        ResourceDefaults.Apply(pool);
        Assert.Equal(0, pool.Spec.BlockSize);
        Assert.Equal("all()", pool.Spec.NodeSelector);
    }
}
