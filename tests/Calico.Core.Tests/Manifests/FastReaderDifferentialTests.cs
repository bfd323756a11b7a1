using System.Text;
using Calico.Manifests;
using Calico.Serialization;

namespace Calico.Tests.Manifests;

/// <summary>
/// The fast readers (block YAML and JSON) against YamlDotNet on thousands of generated and mutated manifests: for
/// every document they either decline, or build exactly the tree YamlDotNet builds — the same keys, values,
/// quoting, lines and columns — and the same error when the tree cannot be built.
/// </summary>
public class FastReaderDifferentialTests
{
    [Fact]
    public void Generated_block_yaml_is_read_as_YamlDotNet_reads_it() =>
        CompareGenerated(BlockYamlGenerator.Generate, new Random(20260701), minAccepted: 2400);

    [Fact]
    public void Generated_json_is_read_as_YamlDotNet_reads_it() =>
        CompareGenerated(JsonManifestGenerator.Generate, new Random(20260703), minAccepted: 2000);

    // The generators write mostly what the fast readers take, so they must take most of it, and decline some,
    // and some of what they take must fail to build (NaN, null keys), so that errors are compared too.
    private static void CompareGenerated(Func<Random, string> generate, Random random, int minAccepted)
    {
        const int cases = 4000;
        var outcome = new Outcome();
        for (var n = 0; n < cases; n++) Compare(generate(random), n, outcome);
        Assert.InRange(outcome.Accepted, minAccepted, cases);
        Assert.InRange(outcome.Declined, cases / 20, cases);
        Assert.InRange(outcome.AcceptedFailures, cases / 200, cases);
    }

    [Fact]
    public void Mutated_manifests_are_read_as_YamlDotNet_reads_them()
    {
        var random = new Random(20260702);
        var outcome = new Outcome();
        for (var n = 0; n < 15000; n++)
        {
            var seed = (n % 5) switch
            {
                0 => ManifestFuzzTests.Seeds[n / 5 % ManifestFuzzTests.Seeds.Length],
                1 or 2 => JsonManifestGenerator.Generate(random),
                _ => BlockYamlGenerator.Generate(random),
            };
            Compare(ManifestFuzzTests.Mutate(seed, random), n, outcome);
        }
        Assert.InRange(outcome.Accepted, 3000, 15000);
        Assert.InRange(outcome.Declined, 4000, 15000);
    }

    [Theory]
    [InlineData("a: 1\nb:\n  - x\n  - y: 1\n    z: \"q\"\nd:\ne:\n- 1\n-\n- k:\n  # c\nf: 's'  # c\n")]
    [InlineData("---\r\napiVersion: v1\r\nkind: ipPool\r\nmetadata:\r\n  cidr: 10.0.0.0/8\r")]
    [InlineData("  a: 'it''s'\n  b: \"\\u00e9\\x41\\U0001F600\\/\\t\"\n  \"c d\"  : e f  # g\n")]
    [InlineData("- - a\n")]
    [InlineData("a: [1, 2]\n")]
    [InlineData("a: |\n  text\n")]
    [InlineData("a: b\n  c\n")]
    [InlineData("a: &x 1\nb: *x\n")]
    [InlineData("a:\tb\n")]
    [InlineData("... x: 1\n")]
    [InlineData("a: 1\n... x: 1\n")]
    [InlineData("...: 1\n")]
    [InlineData("--- x\na: 1\n")]
    [InlineData("---#c\na: 1\n")]
    [InlineData("--- #c\na: 1\n")]
    [InlineData("---\n")]
    [InlineData("a: \"\\uD83D\\uDE00\"\n")]
    [InlineData("a: \"\\ud800\"\n")]
    [InlineData("a: 'x'#c\n")]
    [InlineData("a: \"x\"#c\n")]
    [InlineData("-\n  - a\n")]
    [InlineData("- a: 1\n  - b\n")]
    [InlineData("a:\n- x\nb: 1\n")]
    [InlineData("a:\n  - x\n  b: 1\n")]
    [InlineData("k: v\r\n")]
    [InlineData("k: v\r")]
    [InlineData("k: v\rx: 1\n")]
    [InlineData("{\n  \"apiVersion\": \"v1\",\n  \"n\":-1.5e3, \"t\":true,\"x\" : null,\n  \"l\": [ 1 , \"a\", {}, [] ,{\"k\":\"v\"}\n  ]\n}\n")]
    [InlineData("[\"\\u00e9\\x41\\/\", -.5, yes, 0x1A]")]
    [InlineData("{\"a\"\n: 1}")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{\"a\": 1} # c\n")]
    [InlineData("[1 2]")]
    [InlineData("[1\n2]")]
    [InlineData("[-]")]
    [InlineData("{\"a\": \"x\"#}")]
    public void Documents_written_by_hand_are_read_as_YamlDotNet_reads_them(string text) =>
        Compare(text, 0, new Outcome());

    [Theory]
    [InlineData("apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: 10.0.0.0/8\nspec:\n  ipip:\n    enabled: true\n")]
    [InlineData("---\nitems:\n- name: a\n  addresses:\n  - 10.0.0.1\n-\n  name: b # comment\n\n")]
    [InlineData("a: 'x'\nb: \"y\\n\"\nc: ~\nd: .nan\n")]
    [InlineData("{\"kind\": \"IPPoolList\", \"items\": [{\"spec\": {\"cidr\": \"10.0.0.0/8\", \"blockSize\": 26, \"natOutgoing\": true}}]}")]
    [InlineData("\r\n[\r\n  {},\r\n  []\r\n]\r\n")]
    public void Common_manifests_take_the_fast_path(string text) =>
        Assert.True(YamlTree.TryReadFast(text, 0, text.Length, 1, new YamlTreeBuilder()));

    // What calicoctl's own tests read and write: every document of them is within the fast readers' reach.
    [Theory]
    [InlineData(CalicoctlVectors.SeedAlways)]
    [InlineData(CalicoctlVectors.SeedCrossSubnet)]
    [InlineData(CalicoctlVectors.MigrationIPPoolInput)]
    [InlineData(CalicoctlVectors.MigrationIPPoolYaml)]
    [InlineData(CalicoctlVectors.MigrationIPPoolJson)]
    [InlineData(CalicoctlVectors.MigrationNodeInput)]
    [InlineData(CalicoctlVectors.MigrationNodeYaml)]
    [InlineData(CalicoctlVectors.MigrationNodeJson)]
    [InlineData(CalicoctlVectors.NodeListInput)]
    [InlineData(CalicoctlVectors.NodeListYaml)]
    [InlineData(CalicoctlVectors.NodeListJson)]
    [InlineData(CalicoctlVectors.MultiResourcePoolsInput)]
    [InlineData(CalicoctlVectors.MultiResourcePoolsYaml)]
    public void Calicoctl_vectors_take_the_fast_path(string text)
    {
        foreach (var part in DocumentSplitter.Split(text))
            Assert.True(YamlTree.TryReadFast(text, part.Start, part.End, part.FirstLine, new YamlTreeBuilder()), text[part.Start..part.End]);
    }

    [Theory]
    [InlineData("a: [1]\n")]
    [InlineData("a: {b: 1}\n")]
    [InlineData("a: &x 1\n")]
    [InlineData("a: !!str 1\n")]
    [InlineData("a: >\n  b\n")]
    [InlineData("a: b\n  c\n")]
    [InlineData("a: 'b\n  c'\n")]
    [InlineData("a:\tb\n")]
    [InlineData("%YAML 1.1\n---\na: 1\n")]
    [InlineData("a: 1\n...\n")]
    [InlineData("? a\n: b\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a\n")]
    [InlineData("{a: 1}")]
    [InlineData("{'a': 1}")]
    [InlineData("{\"a\": 1,}")]
    [InlineData("[1] x")]
    [InlineData("[\"\\uD83D\\uDE00\"]")]
    public void Other_yaml_is_left_to_YamlDotNet(string text) =>
        Assert.False(YamlTree.TryReadFast(text, 0, text.Length, 1, new YamlTreeBuilder()));

    private sealed class Outcome
    {
        public int Accepted;
        public int Declined;
        public int AcceptedFailures;
    }

    // Each document as ManifestReader splits it, read both ways.
    private static void Compare(string text, int n, Outcome outcome)
    {
        foreach (var part in DocumentSplitter.Split(text))
        {
            var fast = new YamlTreeBuilder();
            if (!YamlTree.TryReadFast(text, part.Start, part.End, part.FirstLine, fast))
            {
                outcome.Declined++;
                continue;
            }
            outcome.Accepted++;
            var slow = new YamlTreeBuilder();
            YamlTree.ReadWithYamlDotNet(text, part.Start, part.End, part.FirstLine, slow);
            var (fastCtx, slowCtx) = (new DecodeContext("m", 1), new DecodeContext("m", 1));
            var expected = Dump(slow.Finish(slowCtx)) + string.Join("\n", slowCtx.Errors);
            var actual = Dump(fast.Finish(fastCtx)) + string.Join("\n", fastCtx.Errors);
            if (fastCtx.HasErrors) outcome.AcceptedFailures++;
            if (expected != actual)
                Assert.Fail($"case {n}: the fast reader differs from YamlDotNet\n--- document:\n{text[part.Start..part.End]}\n--- YamlDotNet:\n{expected}\n--- fast:\n{actual}");
        }
    }

    // The whole value, unlike FieldError.Quote, which shortens it.
    private static string Escape(string value)
    {
        var sb = new StringBuilder();
        foreach (var c in value)
        {
            if (c is >= ' ' and <= '~' and not '\\') sb.Append(c);
            else sb.Append("\\u").Append(((int)c).ToString("x4"));
        }
        return sb.ToString();
    }

    // Everything the tree holds, positions and quoting included.
    private static string Dump(DocNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    private static void Write(DocNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("(none)");
                break;
            case DocScalar s:
                sb.Append(s.Quoted ? "Q" : "P").Append('@').Append(s.Line).Append(':').Append(s.Column)
                    .Append('<').Append(s.Value is null ? "(null)" : Escape(s.Value)).Append('>');
                if (s.StringValue is not null) sb.Append("/g<").Append(s.StringValue).Append('>');
                break;
            case DocMapping m:
                sb.Append("M@").Append(m.Line).Append(':').Append(m.Column).Append('{');
                foreach (var (key, value) in m.Entries)
                {
                    Write(key, sb);
                    sb.Append(": ");
                    Write(value, sb);
                    sb.Append(", ");
                }
                sb.Append('}');
                break;
            case DocSequence q:
                sb.Append("S@").Append(q.Line).Append(':').Append(q.Column).Append('[');
                foreach (var item in q.Items)
                {
                    Write(item, sb);
                    sb.Append(", ");
                }
                sb.Append(']');
                break;
        }
    }
}
