using Calico.Resources;

namespace Calico.Tests.Serialization;

public class ResourceDiffTests
{
    private static IPPool Pool(IPIPMode mode, bool nat) => new()
    {
        Metadata = { Name = "192-168-0-0-16", ResourceVersion = "7", Uid = "u1", CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = { Cidr = "192.168.0.0/16", IPIPMode = mode, NatOutgoing = nat, AllowedUses = new() { IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel } },
    };

    [Fact]
    public void Names_each_changed_field_old_to_new()
    {
        var proposed = Pool(IPIPMode.CrossSubnet, nat: false);
        proposed.Metadata.ResourceVersion = null;
        var changes = ResourceDiff.Compare(Pool(IPIPMode.Always, nat: true), proposed);
        Assert.Equal(new[] { "spec.ipipMode: Always → CrossSubnet", "spec.natOutgoing: true → (none)" }, changes.Select(c => c.ToString()));
    }

    [Fact]
    public void Identical_resources_have_no_changes_whatever_the_bookkeeping()
    {
        var proposed = Pool(IPIPMode.Always, true);
        proposed.Metadata.Uid = null;
        proposed.Metadata.ResourceVersion = "8";
        Assert.Empty(ResourceDiff.Compare(Pool(IPIPMode.Always, true), proposed));
    }

    [Fact]
    public void Creating_lists_every_field_as_new()
    {
        var changes = ResourceDiff.Compare(null, Pool(IPIPMode.Always, true));
        Assert.Contains(changes, c => c.Field == "spec.cidr" && c.OldValue is null && c.NewValue == "192.168.0.0/16");
        Assert.Contains(changes, c => c.Field == "spec.allowedUses" && c.NewValue == "[Workload, Tunnel]");
        Assert.DoesNotContain(changes, c => c.Field.StartsWith("metadata.uid", StringComparison.Ordinal));
    }

    [Fact]
    public void Label_keys_with_dots_are_quoted_in_the_path()
    {
        var a = new Node { Metadata = { Name = "n" } };
        var b = new Node { Metadata = { Name = "n", Labels = new() { ["topology.kubernetes.io/zone"] = "a" } } };
        Assert.Equal("metadata.labels[\"topology.kubernetes.io/zone\"]", Assert.Single(ResourceDiff.Compare(a, b)).Field);
    }
}
