using Calico.Resources;
using Calico.Validation;
using static Calico.Tests.Validation.ValidationAssert;

namespace Calico.Tests.Validation;

/// <summary>What an IPPool update may not change (clientv3/ippool.go:312-351, 389-445).</summary>
public class UpdateRuleTests
{
    private static IPPool Stored(string cidr, Action<IPPoolSpec>? configure = null)
    {
        var pool = Pool(cidr, configure);
        ResourceDefaults.Apply(pool);
        return pool;
    }

    private static IReadOnlyList<Calico.Serialization.FieldError> Update(IPPool stored, Action<IPPoolSpec> change)
    {
        var updated = stored.Clone();
        change(updated.Spec);
        return ResourceValidator.ValidateUpdate(stored, updated);
    }

    [Fact]
    public void Changing_nothing_but_modes_is_accepted() =>
        Assert.Empty(Update(Stored("10.0.0.0/16"), s => { s.IPIPMode = IPIPMode.CrossSubnet; s.NatOutgoing = true; s.Disabled = true; }));

    [Fact]
    public void The_cidr_cannot_be_changed()
    {
        var error = Has(Update(Stored("10.0.0.0/16"), s => s.Cidr = "10.1.0.0/16"), "spec.cidr", "IPPool CIDR cannot be modified");
        Assert.Equal("10.1.0.0/16", error.Value);
        Has(Update(Stored("10.0.0.0/16"), s => s.Cidr = "10.0.0.0/15"), "spec.cidr", "IPPool CIDR cannot be modified");
    }

    [Theory]
    [InlineData("FD00:0::/48", "fd00::/48")]
    [InlineData("fd00:0::/48", "FD00::/48")]
    public void A_cidr_stored_in_another_form_may_be_rewritten_as_the_same_network(string stored, string updated)
    {
        var pool = Pool(stored);
        pool.Spec.BlockSize = 122;
        Assert.Empty(Update(pool, s => s.Cidr = updated));
    }

    [Fact]
    public void An_unmasked_cidr_of_the_same_network_is_refused_as_unmasked_only()
    {
        var errors = Update(Stored("10.0.0.0/16"), s => s.Cidr = "10.0.0.1/16");
        Assert.Equal([("spec.cidr", "IPPool CIDR is not strictly masked")], errors.Select(e => (e.Field, e.Message)));
    }

    [Fact]
    public void The_block_size_cannot_be_changed()
    {
        var error = Single(Update(Stored("10.0.0.0/16"), s => s.BlockSize = 24));
        Assert.Equal(("spec.blockSize", "24", "IPPool BlockSize cannot be modified"), (error.Field, error.Value, error.Message));
    }

    [Fact]
    public void An_unset_block_size_matches_its_default() =>
        Assert.Empty(Update(Stored("10.0.0.0/16"), s => s.BlockSize = 0));

    [Fact]
    public void A_LoadBalancer_pool_stays_a_LoadBalancer_pool()
    {
        var stored = Stored("10.0.0.0/16", s => s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]);
        var error = Has(Update(stored, s => s.AllowedUses = [IPPoolAllowedUse.Workload]), "spec.allowedUses",
            "IPPool allowed use cannot be changed from LoadBalacer to Workload or Tunnel");
        Assert.Null(error.Value);
        Assert.Empty(Update(stored, s => s.NatOutgoing = true));
    }

    [Fact]
    public void A_workload_pool_may_become_a_LoadBalancer_pool() =>
        Assert.Empty(Update(Stored("10.0.0.0/16"), s => s.AllowedUses = [IPPoolAllowedUse.LoadBalancer]));

    [Fact]
    public void Update_also_runs_every_spec_rule() =>
        Has(Update(Stored("10.0.0.0/16"), s => { s.IPIPMode = IPIPMode.Always; s.VXLANMode = VXLANMode.Always; }),
            "spec.vxlanMode", "ipipMode and vxlanMode cannot both be enabled");

    [Fact]
    public void Kinds_must_match() =>
        Assert.Throws<ArgumentException>(() => ResourceValidator.ValidateUpdate(Stored("10.0.0.0/16"), Node()));

    [Fact]
    public void Nodes_have_no_update_rules_beyond_validation()
    {
        var before = NodeWithBgp(new NodeBGPSpec { IPv4Address = "10.0.2.15/32" });
        var after = NodeWithBgp(new NodeBGPSpec { IPv4Address = "10.0.2.15/24" });
        Assert.Empty(ResourceValidator.ValidateUpdate(before, after));
    }

    private static Calico.Serialization.FieldError Single(IReadOnlyList<Calico.Serialization.FieldError> errors) =>
        Assert.Single(errors);
}
