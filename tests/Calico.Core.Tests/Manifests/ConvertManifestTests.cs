using Calico.Manifests;
using Calico.Resources;
using Calico.Serialization;

namespace Calico.Tests.Manifests;

/// <summary>The whole `calicoctl convert` path: read a v1 manifest, convert, print; compared with calicoctl's own output.</summary>
public class ConvertManifestTests
{
    private static IReadOnlyList<CalicoResource> Convert(string manifest)
    {
        var items = ManifestReader.Read(manifest, "test.yaml");
        Assert.All(items, i => Assert.Empty(i.Errors));
        return items.Select(i => V1Converter.Convert(i.V1!)).ToList();
    }

    [Theory]
    [InlineData(CalicoctlVectors.SeedAlways, IPIPMode.Always)]
    [InlineData(CalicoctlVectors.SeedCrossSubnet, IPIPMode.CrossSubnet)]
    public void Seed_manifests_read_as_written(string manifest, IPIPMode expected)
    {
        var item = Assert.Single(ManifestReader.Read(manifest, "seed"));
        Assert.Empty(item.Errors);
        Assert.True(item.IsV1);
        var pool = Assert.IsType<V1IPPool>(item.V1);
        Assert.Equal("192.168.0.0/16", pool.Cidr.ToString());
        Assert.True(pool.IPIP!.Enabled);
        Assert.Equal(expected == IPIPMode.Always ? "always" : "cross-subnet", pool.IPIP.Mode);
        Assert.True(pool.NatOutgoing);
        Assert.False(pool.Disabled);
        Assert.Equal(1, item.Line);
    }

    [Theory]
    [InlineData(CalicoctlVectors.SeedAlways, "Always")]
    [InlineData(CalicoctlVectors.SeedCrossSubnet, "CrossSubnet")]
    public void Seed_manifests_convert_to_the_pool_calicoctl_printed(string manifest, string mode)
    {
        // The layout of calicoctl's output for ctl:output/v1/migration/ippool.yaml, with the seed's CIDR and mode.
        var expected = $"""
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata:
              creationTimestamp: null
              name: 192-168-0-0-16
            spec:
              allowedUses:
              - Workload
              - Tunnel
              assignmentMode: Automatic
              blockSize: 26
              cidr: 192.168.0.0/16
              ipipMode: {mode}
              natOutgoing: true
              nodeSelector: all()
              vxlanMode: Never

            """;
        Assert.Equal(expected, ManifestWriter.ToYaml(Convert(manifest)));
    }

    [Fact]
    public void Seed_pool_converts_with_the_v3_defaults_convert_wrote()
    {
        var pool = Assert.IsType<IPPool>(Convert(CalicoctlVectors.SeedCrossSubnet).Single());
        Assert.Equal("192-168-0-0-16", pool.Name);
        Assert.Equal("192.168.0.0/16", pool.Spec.Cidr);
        Assert.Equal(IPIPMode.CrossSubnet, pool.Spec.IPIPMode);
        Assert.Equal(VXLANMode.Never, pool.Spec.VXLANMode);
        Assert.True(pool.Spec.NatOutgoing);
        Assert.False(pool.Spec.Disabled);
        Assert.Equal(26, pool.Spec.BlockSize);
        Assert.Equal("all()", pool.Spec.NodeSelector);
        Assert.Equal([IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel], pool.Spec.AllowedUses);
        Assert.Equal(AssignmentMode.Automatic, pool.Spec.AssignmentMode);
        Assert.Null(pool.Metadata.CreationTimestamp);
    }

    [Theory]
    [InlineData(CalicoctlVectors.MigrationIPPoolInput, CalicoctlVectors.MigrationIPPoolYaml, CalicoctlVectors.MigrationIPPoolJson)]
    [InlineData(CalicoctlVectors.MigrationNodeInput, CalicoctlVectors.MigrationNodeYaml, CalicoctlVectors.MigrationNodeJson)]
    [InlineData(CalicoctlVectors.NodeListInput, CalicoctlVectors.NodeListYaml, CalicoctlVectors.NodeListJson)]
    public void Calicoctl_convert_test_data_gives_the_same_output(string input, string yaml, string json)
    {
        var resources = Convert(input);
        Assert.Equal(yaml, ManifestWriter.ToYaml(resources));
        Assert.Equal(json, ManifestWriter.ToJson(resources));
    }

    [Fact]
    public void Calicoctl_multi_resource_pools_convert_with_ipv6_block_size_and_never_without_ipip()
    {
        // ctl: input/v1/multi-resource.yaml: enabled with no mode → Always; no ipip → Never; 2001::00/120 → 2001::/120.
        Assert.Equal(CalicoctlVectors.MultiResourcePoolsYaml, ManifestWriter.ToYaml(Convert(CalicoctlVectors.MultiResourcePoolsInput)));
    }

    [Fact]
    public void Several_documents_convert_to_one_List()
    {
        var resources = Convert(CalicoctlVectors.SeedAlways + "---\n" + CalicoctlVectors.MigrationNodeInput);
        var yaml = ManifestWriter.ToYaml(resources);
        Assert.StartsWith("apiVersion: v1\nitems:\n- apiVersion: projectcalico.org/v3\n  kind: IPPool\n", yaml);
        Assert.EndsWith("kind: List\nmetadata: {}\n", yaml);
    }

    [Fact]
    public void Converted_output_reads_back_as_the_same_v3_resources()
    {
        var resources = Convert(CalicoctlVectors.NodeListInput + "---\n" + CalicoctlVectors.SeedCrossSubnet);
        var yaml = ManifestWriter.ToYaml(resources);
        var back = ManifestReader.Read(yaml, "converted.yaml");
        Assert.All(back, i => Assert.Empty(i.Errors));
        Assert.Equal(resources.Select(r => ResourceJson.Serialize(r)), back.Select(i => ResourceJson.Serialize(i.Resource!)));
    }
}
