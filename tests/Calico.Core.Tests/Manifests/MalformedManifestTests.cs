using System.Text;
using Calico.Manifests;

namespace Calico.Tests.Manifests;

/// <summary>Bad input of every kind ends in FieldErrors that say where (document, line, field) and why; never an exception.</summary>
public class MalformedManifestTests
{
    private const string PoolHead = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n  cidr: 10.0.0.0/16\n";

    private static string Laughs()
    {
        var sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 9; i++)
            sb.Append($"a{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))).Append("]\n");
        return sb.ToString();
    }

    public static TheoryData<string, string, int, int, string, string> Cases => new()
    {
        // case, manifest, document, line, field, part of the message
        { "empty input", "", 0, 0, "", "holds no resources" },
        { "only comments", "# nothing\n---\n# still nothing\n", 0, 0, "", "holds no resources" },
        { "truncated flow list", "apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: [10.0.0.0/16\n", 1, 4, "metadata.cidr[1]", "not valid YAML" },
        { "truncated quoted string", PoolHead + "  nodeSelector: \"all()\n", 1, 7, "spec.nodeSelector", "not valid YAML" },
        { "tab indentation", "apiVersion: v1\nkind: ipPool\nmetadata:\n\tcidr: 10.0.0.0/16\n", 1, 4, "metadata", "tab" },
        { "list where a boolean goes", PoolHead + "  natOutgoing: [1]\n", 1, 7, "spec.natOutgoing", "expected a boolean" },
        { "quoted boolean", PoolHead + "  natOutgoing: \"true\"\n", 1, 7, "spec.natOutgoing", "expected a boolean" },
        { "text where a number goes", PoolHead + "  blockSize: big\n", 1, 7, "spec.blockSize", "whole number" },
        { "huge number", PoolHead + "  blockSize: 99999999999999999999999\n", 1, 7, "spec.blockSize", "whole number" },
        { "AS number past 32 bits", "apiVersion: v1\nkind: node\nmetadata:\n  name: n\nspec:\n  bgp:\n    asNumber: 4294967296\n    ipv4Address: 10.0.0.1\n", 1, 7, "spec.bgp.asNumber", "AS number" },
        { "unquoted dotted AS number is a float", "apiVersion: v1\nkind: node\nmetadata:\n  name: n\nspec:\n  bgp:\n    asNumber: 1.10\n    ipv4Address: 10.0.0.1\n", 1, 7, "spec.bgp.asNumber", "AS number" },
        { "NaN", PoolHead + "  natOutgoing: .nan\n", 1, 7, "spec.natOutgoing", "NaN" },
        { "unknown v3 field", PoolHead + "  colour: blue\n", 1, 7, "spec.colour", "unknown field" },
        { "unknown v1 field", "apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: 10.0.0.0/16\n  name: x\n", 1, 5, "metadata.name", "unknown field" },
        { "duplicate field", PoolHead + "  cidr: 10.1.0.0/16\n", 1, 7, "spec.cidr", "more than once" },
        { "v1 field twice in two spellings", "apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: 10.0.0.0/16\n  CIDR: 10.1.0.0/16\n", 1, 5, "metadata.CIDR", "more than once" },
        { "unknown kind", "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\n", 1, 2, "kind", "unknown resource type (BGPPeer)" },
        { "v1 kind in wrong case", "apiVersion: v1\nkind: IPPool\nmetadata:\n  cidr: 10.0.0.0/16\n", 1, 2, "kind", "ipPool and node" },
        { "v1 kind this module does not handle", "apiVersion: v1\nkind: bgpPeer\nmetadata:\n  scope: global\n", 1, 2, "kind", "does not handle" },
        { "unknown apiVersion", "apiVersion: projectcalico.org/v2\nkind: IPPool\n", 1, 2, "kind", "apiVersion must be" },
        { "no kind", "apiVersion: v1\nmetadata:\n  cidr: 10.0.0.0/16\n", 1, 1, "kind", "required" },
        { "a scalar document", "just some text\n", 1, 1, "", "expected a resource" },
        { "a scalar list item", "- 42\n", 1, 1, "[0]", "expected a resource" },
        { "v1 cidr as a number", "apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: 10\n", 1, 4, "metadata.cidr", "as a string" },
        { "v1 cidr that is not one", "apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: 10.0.0.0/33\n", 1, 4, "metadata.cidr", "invalid CIDR" },
        { "deep nesting", PoolHead + "  nodeSelector: " + new string('[', 200) + new string(']', 200) + "\n", 1, 7, "spec.nodeSelector" + string.Concat(Enumerable.Repeat("[0]", 62)), "nested more than 64" },
        { "billion laughs", Laughs(), 1, 5, "a4[7]", "aliases expand to more than" },
        { "unknown alias", PoolHead + "  nodeSelector: *nowhere\n", 1, 7, "spec.nodeSelector", "unknown anchor" },
        { "anchor containing itself", "a: &x [1, *x]\n", 1, 1, "a[1]", "contains itself" },
        { "merge of a scalar", PoolHead + "  <<: 1\n", 1, 7, "spec", "map merge requires" },
        { "mapping as a key", "? {a: 1}\n: b\n", 1, 1, "", "key must be a scalar" },
        { "null key", PoolHead + "  ~: 1\n", 1, 7, "spec", "must not be null" },
        { "text after the separator", PoolHead + "---apiVersion: v1\n", 2, 7, "", "text after ---" },
        { "second document in one part", PoolHead + "...\n" + PoolHead, 1, 8, "", "second YAML document" },
        { "control character", PoolHead + "  nodeSelector: a\u0001b\n", 1, 7, "", "control characters" },
        { "bad !!binary", PoolHead + "  nodeSelector: !!binary '***'\n", 1, 7, "spec.nodeSelector", "base64" },
        { "tag that does not fit", PoolHead + "  blockSize: !!int abc\n", 1, 7, "spec.blockSize", "cannot decode" },
        { "List with junk", "apiVersion: v1\nkind: List\nitems: 5\n", 1, 3, "items", "expected a list" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_case_ends_in_a_located_field_error(string name, string manifest, int document, int line, string field, string message)
    {
        var items = ManifestReader.Read(manifest, "bad.yaml");
        var failed = items.Where(i => i.HasErrors).ToList();
        Assert.True(failed.Count == 1, $"{name}: expected one failed item, got {failed.Count}: {string.Join(" | ", items)}");
        var item = failed[0];
        Assert.Null(item.Resource);
        Assert.Null(item.V1);
        var error = item.Errors[0];
        Assert.True(error.Message.Contains(message, StringComparison.Ordinal), $"{name}: {error}");
        Assert.Equal((document, line, field), (error.Document, error.Line, error.Field));
        Assert.Equal("bad.yaml", error.Source);
        Assert.Equal(document, item.Document);
    }

    [Fact]
    public void A_broken_document_does_not_hide_the_others()
    {
        var items = ManifestReader.Read(PoolHead + "---\nkind: [\n---\n" + PoolHead, "m.yaml");
        Assert.Equal([false, true, false], items.Select(i => i.HasErrors));
        Assert.Equal([1, 2, 3], items.Select(i => i.Document));
        Assert.Equal(8, items[1].Errors[0].Line);
    }

    [Fact]
    public void Every_problem_in_a_document_is_reported()
    {
        var item = Assert.Single(ManifestReader.Read(PoolHead + "  ipipMode: sometimes\n  blockSize: \"26\"\n  colour: 1\n"));
        Assert.Equal(["spec.ipipMode", "spec.blockSize", "spec.colour"], item.Errors.Select(e => e.Field));
        Assert.Equal([7, 8, 9], item.Errors.Select(e => e.Line));
    }

    [Fact]
    public void Invalid_utf8_is_an_error_with_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes(PoolHead + "  nodeSelector: ").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();
        var error = Assert.Single(Assert.Single(ManifestReader.Read(bytes, "bad.yaml")).Errors);
        Assert.Equal(7, error.Line);
        Assert.Contains("invalid UTF-8", error.Message);
    }

    [Fact]
    public void Binary_junk_is_an_error_not_an_exception()
    {
        var random = new Random(7);
        for (var n = 0; n < 200; n++)
        {
            var bytes = new byte[random.Next(1, 300)];
            random.NextBytes(bytes);
            var items = ManifestReader.Read(bytes, "junk");
            Assert.NotEmpty(items);
            Assert.All(items, i => Assert.True(i.HasErrors || i.Resource is not null || i.V1 is not null));
        }
    }
}
