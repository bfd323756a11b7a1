using Calico.Manifests;
using Calico.Resources;
using Calico.Serialization;

namespace Calico.Tests.Manifests;

/// <summary>
/// Output as calicoctl prints it. Expected texts are go-yaml v2.4.0's output for the same JSON (checked by
/// marshalling that JSON with gopkg.in/yaml.v2 v2.4.0 as projectcalico/go-yaml-wrapper does).
/// </summary>
public class ManifestWriterTests
{
    private static IPPool Pool(string name = "p", string? selector = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = { Name = name, Labels = labels },
        Spec = { Cidr = "10.0.0.0/16", NodeSelector = selector },
    };

    private static string SelectorLine(string selector)
    {
        var yaml = ManifestWriter.ToYaml(Pool(selector: selector));
        var start = yaml.IndexOf("  nodeSelector:", StringComparison.Ordinal);
        return yaml[start..].TrimEnd('\n');
    }

    [Theory]
    [InlineData("all()", "  nodeSelector: all()")]
    [InlineData("has(node-role) && zone == 'a'", "  nodeSelector: has(node-role) && zone == 'a'")]
    [InlineData("true", "  nodeSelector: \"true\"")]
    [InlineData("yes", "  nodeSelector: \"yes\"")]
    [InlineData("123", "  nodeSelector: \"123\"")]
    [InlineData("0x1F", "  nodeSelector: \"0x1F\"")]
    [InlineData("1.5", "  nodeSelector: \"1.5\"")]
    [InlineData("null", "  nodeSelector: \"null\"")]
    [InlineData("~", "  nodeSelector: \"~\"")]
    [InlineData("2001-12-14", "  nodeSelector: \"2001-12-14\"")]
    [InlineData("1:20", "  nodeSelector: \"1:20\"")]
    [InlineData("!has(x)", "  nodeSelector: '!has(x)'")]
    [InlineData("- a", "  nodeSelector: '- a'")]
    [InlineData("a: b", "  nodeSelector: 'a: b'")]
    [InlineData("a #b", "  nodeSelector: 'a #b'")]
    [InlineData("'q'", "  nodeSelector: '''q'''")]
    [InlineData(" lead", "  nodeSelector: ' lead'")]
    [InlineData("a\tb", "  nodeSelector: \"a\\tb\"")]
    [InlineData("café", "  nodeSelector: café")]
    [InlineData("smile \U0001F600", "  nodeSelector: \"smile \\U0001F600\"")]
    [InlineData("a\nb", "  nodeSelector: |-\n    a\n    b")]
    [InlineData("<<", "  nodeSelector: <<")]
    public void Strings_are_quoted_only_when_they_must_be(string selector, string expected)
    {
        Assert.Equal(expected, SelectorLine(selector));
    }

    [Fact]
    public void Long_plain_strings_fold_after_column_80()
    {
        var selector = string.Join(" || ", Enumerable.Range(1, 12).Select(i => $"zone == 'zone-{i}'"));
        var line = SelectorLine(selector);
        Assert.Equal(
            "  nodeSelector: zone == 'zone-1' || zone == 'zone-2' || zone == 'zone-3' || zone ==\n"
            + "    'zone-4' || zone == 'zone-5' || zone == 'zone-6' || zone == 'zone-7' || zone ==\n"
            + "    'zone-8' || zone == 'zone-9' || zone == 'zone-10' || zone == 'zone-11' || zone\n"
            + "    == 'zone-12'", line);
        var back = (IPPool)Assert.Single(ManifestReader.Read(ManifestWriter.ToYaml(Pool(selector: selector)))).Resource!;
        Assert.Equal(selector, back.Spec.NodeSelector);
    }

    [Fact]
    public void Keys_are_sorted_as_go_yaml_sorts_them()
    {
        var yaml = ManifestWriter.ToYaml(Pool(labels: new() { ["app"] = "x", ["Zone"] = "a", ["a10"] = "1", ["a9"] = "2", ["a-b"] = "3", ["projectcalico.org/tier"] = "t" }));
        Assert.Contains("  labels:\n    Zone: a\n    a-b: \"3\"\n    a9: \"2\"\n    a10: \"1\"\n    app: x\n    projectcalico.org/tier: t\n", yaml);
    }

    [Fact]
    public void A_key_longer_than_128_bytes_is_written_as_a_complex_key()
    {
        var key = "example.com/" + new string('k', 130);
        var yaml = ManifestWriter.ToYaml(Pool(labels: new() { [key] = "v" }));
        Assert.Contains($"  labels:\n    ? {key}\n    : v\n", yaml);
        var back = (IPPool)Assert.Single(ManifestReader.Read(yaml)).Resource!;
        Assert.Equal("v", back.Metadata.Labels![key]);
    }

    [Fact]
    public void Metadata_strings_that_look_like_numbers_or_times_are_quoted()
    {
        var pool = Pool();
        pool.Metadata.ResourceVersion = "1234";
        pool.Metadata.Uid = "0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11";
        pool.Metadata.CreationTimestamp = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("""
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata:
              creationTimestamp: "2026-01-01T00:00:00Z"
              name: p
              resourceVersion: "1234"
              uid: 0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11
            spec:
              cidr: 10.0.0.0/16

            """, ManifestWriter.ToYaml(pool));
    }

    [Fact]
    public void Several_resources_as_an_array_or_a_kind_list()
    {
        IReadOnlyList<CalicoResource> pools = [Pool("a"), Pool("b")];
        Assert.Equal("""
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata:
                creationTimestamp: null
                name: a
              spec:
                cidr: 10.0.0.0/16
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata:
                creationTimestamp: null
                name: b
              spec:
                cidr: 10.0.0.0/16

            """, ManifestWriter.ToYaml(pools, ManifestShape.Array));
        Assert.Equal("""
            apiVersion: projectcalico.org/v3
            items:
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata:
                creationTimestamp: null
                name: a
              spec:
                cidr: 10.0.0.0/16
            kind: IPPoolList
            metadata:
              resourceVersion: "99"

            """, ManifestWriter.ToYaml([pools[0]], ManifestShape.KindList, "99"));
        Assert.StartsWith("[\n  {\n    \"kind\": \"IPPool\",", ManifestWriter.ToJson(pools, ManifestShape.Array));
    }

    [Fact]
    public void A_node_status_and_empty_spec_are_flow_braces()
    {
        Assert.Equal("""
            apiVersion: projectcalico.org/v3
            kind: Node
            metadata:
              creationTimestamp: null
              name: node1
            spec: {}
            status: {}

            """, ManifestWriter.ToYaml(new Node { Name = "node1" }));
    }

    public static TheoryData<CalicoResource> RoundTripResources()
    {
        var data = new TheoryData<CalicoResource>();
        foreach (var r in Samples()) data.Add(r);
        return data;
    }

    private static List<CalicoResource> Samples()
    {
        var full = new IPPool
        {
            Metadata =
            {
                Name = "pool-1", ResourceVersion = "42", Uid = "u-1", Generation = 3,
                CreationTimestamp = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero),
                Labels = new() { ["a10"] = "true", ["x/y"] = "1.5", ["e"] = "" },
                Annotations = new() { ["note"] = "line one\nline two\n", ["tab"] = "a\tb", ["quote"] = "'q' \"q\"", ["emoji"] = "\U0001F600" },
            },
            Spec =
            {
                Cidr = "fd00::/48", VXLANMode = VXLANMode.CrossSubnet, IPIPMode = IPIPMode.Never, NatOutgoing = true, Disabled = true,
                DisableBGPExport = true, BlockSize = 122, NodeSelector = "!has(edge) && rack in {'a', 'b'}", NamespaceSelector = "all()",
                AllowedUses = [IPPoolAllowedUse.LoadBalancer], AssignmentMode = AssignmentMode.Manual,
            },
            // Kept as opaque JSON, so its keys are written in the order YAML output sorts them into.
            StatusJson = "{\"conditions\":[{\"status\":\"True\",\"type\":\"Ready\"}]}",
        };
        var node = new Node
        {
            Metadata = { Name = "node.example.com", Labels = new() { ["kubernetes.io/hostname"] = "node.example.com" } },
            Spec =
            {
                BGP = new NodeBGPSpec { ASNumber = new ASNumber(4294967295), IPv4Address = "10.0.2.15/24", IPv6Address = "fd00::15/64", IPv4IPIPTunnelAddr = "192.168.3.1", RouteReflectorClusterID = "224.0.0.1" },
                IPv4VXLANTunnelAddr = "192.168.4.1", VXLANTunnelMACAddr = "66:a1:b2:c3:d4:e5",
                OrchRefs = [new OrchRef { NodeName = "node", Orchestrator = "k8s" }],
                Addresses = [new NodeAddress { Address = "10.0.2.15", Type = "InternalIP" }],
                Interfaces = [new NodeInterface { Name = "eth0", Addresses = ["10.0.2.15/24"] }],
                Wireguard = new NodeWireguardSpec { InterfaceIPv4Address = "10.10.0.1" },
            },
            Status = { WireguardPublicKey = "key=", PodCIDRs = ["10.244.0.0/24"] },
        };
        return [full, node, Pool(), new Node { Name = "n" }];
    }

    [Theory]
    [MemberData(nameof(RoundTripResources))]
    public void V3_to_yaml_to_v3_round_trips(CalicoResource resource)
    {
        var item = Assert.Single(ManifestReader.Read(ManifestWriter.ToYaml(resource), "rt.yaml"));
        Assert.Empty(item.Errors);
        Assert.Equal(ResourceJson.Serialize(resource), ResourceJson.Serialize(item.Resource!));
    }

    [Theory]
    [MemberData(nameof(RoundTripResources))]
    public void V3_to_json_to_v3_round_trips(CalicoResource resource)
    {
        var json = ManifestWriter.ToJson(resource);
        var item = Assert.Single(ManifestReader.Read(json, "rt.json"));
        Assert.True(item.Errors.Count == 0, json + string.Join("\n", item.Errors));
        Assert.Equal(ResourceJson.Serialize(resource), ResourceJson.Serialize(item.Resource!));
    }

    [Fact]
    public void Several_resources_round_trip_through_each_shape()
    {
        var resources = Samples();
        foreach (var shape in new[] { ManifestShape.List, ManifestShape.Array })
        {
            foreach (var text in new[] { ManifestWriter.ToYaml(resources, shape), ManifestWriter.ToJson(resources, shape) })
            {
                var items = ManifestReader.Read(text);
                Assert.All(items, i => Assert.Empty(i.Errors));
                Assert.Equal(resources.Select(r => ResourceJson.Serialize(r)), items.Select(i => ResourceJson.Serialize(i.Resource!)));
            }
        }
    }
}
