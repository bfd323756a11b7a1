using Calico.Manifests;
using Calico.Resources;

namespace Calico.Tests.Manifests;

public class ManifestReaderTests
{
    private const string V3Pool = """
        apiVersion: projectcalico.org/v3
        kind: IPPool
        metadata:
          name: pool1
        spec:
          cidr: 10.0.0.0/16
          ipipMode: CrossSubnet
        """;

    private const string V3Node = """
        apiVersion: projectcalico.org/v3
        kind: Node
        metadata:
          name: node1
        spec:
          bgp:
            ipv4Address: 10.0.2.15/24
        """;

    private static IReadOnlyList<ManifestItem> Read(string text)
    {
        var items = ManifestReader.Read(text, "m.yaml");
        Assert.All(items, i => Assert.Empty(i.Errors));
        return items;
    }

    [Fact]
    public void Documents_are_numbered_and_keep_their_first_line()
    {
        var items = Read("# a header comment\n---\n" + V3Pool + "\n---\n\n" + V3Node + "\n");
        Assert.Equal([1, 2], items.Select(i => i.Document));
        Assert.Equal([3, 12], items.Select(i => i.Line));
        Assert.Equal(["IPPool", "Node"], items.Select(i => i.Kind));
        Assert.All(items, i => Assert.Equal("m.yaml", i.Source));
    }

    [Fact]
    public void Separator_lines_split_as_calicoctl_splits_them()
    {
        // calicoctl splits at "\n---" whatever follows on the line; a comment or more dashes lose nothing.
        var items = Read(V3Pool + "\n--- # next\n" + V3Node + "\n----\n" + V3Pool.Replace("pool1", "pool2", StringComparison.Ordinal));
        Assert.Equal(["pool1", "node1", "pool2"], items.Select(i => i.Resource!.Name));
    }

    [Fact]
    public void A_leading_marker_and_crlf_line_ends_are_read()
    {
        var items = Read(("---\n" + V3Pool + "\n---\n" + V3Node).Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal(2, items.Count);
        Assert.Equal(10, items[1].Line);
    }

    [Fact]
    public void A_top_level_list_yields_one_item_per_entry()
    {
        var items = Read(CalicoctlVectors.NodeListInput);
        Assert.Equal([0, 1], items.Select(i => i.Index));
        Assert.Equal([1, 1], items.Select(i => i.Document));
        Assert.Equal([1, 5], items.Select(i => i.Line));
        Assert.All(items, i => Assert.IsType<V1Node>(i.V1));
    }

    [Fact]
    public void A_List_of_mixed_versions_yields_its_items()
    {
        var items = Read("""
            apiVersion: v1
            kind: List
            metadata: {}
            items:
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata:
                name: p
              spec:
                cidr: 10.0.0.0/8
            - apiVersion: v1
              kind: node
              metadata:
                name: Node1
            """);
        Assert.IsType<IPPool>(items[0].Resource);
        Assert.IsType<V1Node>(items[1].V1);
        Assert.Equal([0, 1], items.Select(i => i.Index));
    }

    [Fact]
    public void An_IPPoolList_as_calicoctl_get_prints_it_is_read()
    {
        var items = Read("""
            apiVersion: projectcalico.org/v3
            items:
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata:
                creationTimestamp: "2026-01-01T00:00:00Z"
                name: default-ipv4-ippool
                resourceVersion: "1234"
                uid: 0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11
              spec:
                blockSize: 26
                cidr: 192.168.0.0/16
                ipipMode: Always
                natOutgoing: true
                nodeSelector: all()
            - metadata:
                name: p2
              spec:
                cidr: 10.0.0.0/8
            kind: IPPoolList
            metadata:
              resourceVersion: "1240"
            """);
        var pool = Assert.IsType<IPPool>(items[0].Resource);
        Assert.Equal("1234", pool.ResourceVersion);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), pool.Metadata.CreationTimestamp);
        Assert.Equal("p2", items[1].Resource!.Name);
    }

    [Fact]
    public void An_item_of_another_kind_in_a_typed_list_is_an_error()
    {
        var item = Assert.Single(ManifestReader.Read("""
            apiVersion: projectcalico.org/v3
            kind: NodeList
            items:
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata:
                name: p
            """));
        var error = Assert.Single(item.Errors);
        Assert.Equal(("items[0].kind", "IPPool", 5), (error.Field, error.Value, error.Line));
    }

    [Fact]
    public void Json_is_read_as_yaml_is_including_tabs_and_several_documents()
    {
        var items = Read("{\n\t\"kind\": \"IPPool\",\n\t\"apiVersion\": \"projectcalico.org/v3\",\n\t\"metadata\": {\"name\": \"p1\"},\n\t\"spec\": {\"cidr\": \"10.0.0.0/8\", \"blockSize\": 24, \"natOutgoing\": true}\n}\n---\n"
            + "{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"n1\"},\"spec\":{\"bgp\":{\"asNumber\":64512,\"ipv4Address\":\"10.0.2.15/24\"}}}");
        var pool = Assert.IsType<IPPool>(items[0].Resource);
        Assert.Equal(24, pool.Spec.BlockSize);
        Assert.True(pool.Spec.NatOutgoing);
        Assert.Equal(64512u, Assert.IsType<Node>(items[1].Resource).ASNumber!.Value.Value);
    }

    [Fact]
    public void A_json_array_of_resources_is_read()
    {
        var items = Read("[{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"a\"}},{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"b\"}}]");
        Assert.Equal(["a", "b"], items.Select(i => i.Resource!.Name));
    }

    // go-yaml v2 reads YAML 1.1: these booleans and numbers are what calicoctl sees.
    [Theory]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("Y", true)]
    [InlineData("TRUE", true)]
    [InlineData("no", false)]
    [InlineData("off", false)]
    [InlineData("~", false)]
    public void Yaml_1_1_booleans(string text, bool expected)
    {
        var pool = (IPPool)Read(V3Pool + "\n  natOutgoing: " + text)[0].Resource!;
        Assert.Equal(expected, pool.Spec.NatOutgoing);
    }

    [Theory]
    [InlineData("26", 26)]
    [InlineData("0x1A", 26)]
    [InlineData("032", 26)] // a leading 0 is octal in YAML 1.1
    [InlineData("0o32", 26)]
    [InlineData("0b11010", 26)]
    [InlineData("2_6", 26)]
    [InlineData("+26", 26)]
    [InlineData("26.0", 26)] // a float, re-encoded as the JSON number 26
    [InlineData("2.6e1", 26)]
    public void Yaml_1_1_integers(string text, int expected)
    {
        var pool = (IPPool)Read(V3Pool + "\n  blockSize: " + text)[0].Resource!;
        Assert.Equal(expected, pool.Spec.BlockSize);
    }

    [Theory]
    [InlineData("yes", "true")]
    [InlineData("0x10", "16")]
    [InlineData("1e6", "1e+06")] // Go's %g for a float read into a string field
    [InlineData("1.50", "1.5")]
    [InlineData(".0_5", "0.05")] // ParseFloat takes "_" between digits
    [InlineData("010", "8")]
    [InlineData("2001-12-14", "2001-12-14")] // timestamps stay text
    [InlineData("\"0x10\"", "0x10")]
    [InlineData("'yes'", "yes")]
    [InlineData("!!str 0x10", "0x10")]
    public void Scalars_in_string_fields_are_what_calicoctl_makes_of_them(string text, string expected)
    {
        var pool = (IPPool)Read(V3Pool + "\n  nodeSelector: " + text)[0].Resource!;
        Assert.Equal(expected, pool.Spec.NodeSelector);
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_are_expanded()
    {
        var items = Read("""
            - &base
              apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata: {name: a}
              spec: &spec {cidr: 10.0.0.0/16, ipipMode: Always}
            - <<: *base
              metadata: {name: b}
              spec:
                <<: *spec
                cidr: 10.1.0.0/16
            """);
        var b = (IPPool)items[1].Resource!;
        Assert.Equal("b", b.Name);
        Assert.Equal("10.1.0.0/16", b.Spec.Cidr);
        Assert.Equal(IPIPMode.Always, b.Spec.IPIPMode);
    }

    [Fact]
    public void V1_field_names_match_case_insensitively_as_in_go()
    {
        var item = Read("""
            APIVersion: v1
            Kind: ipPool
            Metadata:
              CIDR: 10.0.0.0/16
            Spec:
              IPIP: {Enabled: true, Mode: cross-subnet}
              NAT-Outgoing: true
            """).Single();
        var pool = (V1IPPool)item.V1!;
        Assert.True(pool.NatOutgoing);
        Assert.Equal("cross-subnet", pool.IPIP!.Mode);
    }

    [Fact]
    public void Resource_version_and_timestamps_survive_reading()
    {
        var node = (Node)Read(V3Node.Replace("  name: node1", "  name: node1\n  resourceVersion: \"77\"\n  labels:\n    zone: a", StringComparison.Ordinal))[0].Resource!;
        Assert.Equal("77", node.ResourceVersion);
        Assert.Equal("a", node.Metadata.Labels!["zone"]);
    }

    [Fact]
    public void Utf8_bytes_with_a_bom_are_read()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(CalicoctlVectors.SeedAlways)).ToArray();
        var item = Assert.Single(ManifestReader.Read(bytes, "seed"));
        Assert.Empty(item.Errors);
    }

    [Fact]
    public void Documents_of_only_comments_are_skipped_but_an_empty_manifest_is_an_error()
    {
        Assert.Single(Read("# comment\n---\n# another\n---\n" + V3Node + "\n---\n"));
        var error = Assert.Single(Assert.Single(ManifestReader.Read("# nothing here\n", "empty.yaml")).Errors);
        Assert.Equal("the manifest holds no resources", error.Message);
    }

    [Fact]
    public void An_empty_List_holds_no_resources_and_is_not_an_error()
    {
        Assert.Empty(ManifestReader.Read("apiVersion: v1\nkind: List\nitems: []\n"));
    }
}
