using System.Diagnostics;
using System.Text;
using Calico.Manifests;
using Calico.Resources;

namespace Calico.Tests.Manifests;

/// <summary>
/// Seeded random mutations of valid manifests: whatever comes out, reading ends in resources or FieldErrors,
/// never an exception; what reads cleanly also converts, writes and reads back to the same YAML.
/// </summary>
public class ManifestFuzzTests
{
    internal static readonly string[] Seeds =
    [
        CalicoctlVectors.SeedAlways,
        CalicoctlVectors.SeedCrossSubnet + "---\n" + CalicoctlVectors.MigrationNodeInput,
        CalicoctlVectors.NodeListInput,
        CalicoctlVectors.MultiResourcePoolsInput,
        CalicoctlVectors.MigrationIPPoolYaml,
        CalicoctlVectors.NodeListYaml,
        CalicoctlVectors.MigrationNodeJson,
        CalicoctlVectors.NodeListJson,
        """
        apiVersion: projectcalico.org/v3
        kind: IPPoolList
        metadata: {resourceVersion: "12"}
        items:
        - &p
          metadata: {name: a, labels: {zone: "1", app: web}}
          spec: {cidr: 10.0.0.0/16, ipipMode: CrossSubnet, natOutgoing: yes, blockSize: 0x1A, allowedUses: [Workload]}
        - <<: *p
          metadata: {name: b}
        """,
    ];

    private static readonly string[] Fragments =
    [
        "\t", " ", "  ", "\n", "\r\n", ":", ": ", "-", "- ", "---\n", "...\n", "#", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!int ",
        "!!binary ", "<<: ", "? ", "|", ">", "'", "\"", "\\", "~", "null", "yes", "0x", "1e999", ".nan", "99999999999999999999", "\0", "\u0001",
        "\u0085", "\u2028", "\uFEFF", "\uD800", "\U0001F600", "é", "apiVersion: v1\n", "kind: ipPool\n", "kind: List\nitems:\n",
        "ipip:\n  enabled: true\n", "    mode: cross-subnet\n", "metadata:\n  cidr: ", "192.168.0.0/16", "fe80::/10", "spec:\n", "bgp: {}",
    ];

    /// <summary>One to four random edits: inserted YAML fragments, deletions, cuts, copies, odd characters, tabs.</summary>
    internal static string Mutate(string text, Random random)
    {
        var sb = new StringBuilder(text);
        var steps = random.Next(1, 5);
        for (var s = 0; s < steps; s++)
        {
            var at = sb.Length == 0 ? 0 : random.Next(sb.Length);
            switch (random.Next(7))
            {
                case 0: sb.Insert(at, Fragments[random.Next(Fragments.Length)]); break;
                case 1: sb.Remove(at, Math.Min(random.Next(1, 12), sb.Length - at)); break;
                case 2: sb.Length = at; break;
                case 3:
                    var len = Math.Min(random.Next(1, 40), sb.Length - at);
                    var chunk = sb.ToString(at, len);
                    sb.Insert(random.Next(sb.Length + 1), chunk);
                    break;
                case 4: if (sb.Length > 0) sb[at] = (char)random.Next(0, 0x250); break;
                case 5: sb.Replace("  ", "\t", at, Math.Min(40, sb.Length - at)); break;
                default: sb.Insert(at, new string(Fragments[random.Next(Fragments.Length)][0], random.Next(1, 80))); break;
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void Mutated_manifests_end_in_resources_or_field_errors()
    {
        var random = new Random(20260601);
        var clock = Stopwatch.StartNew();
        int resources = 0, failures = 0;
        const int cases = 6000;
        for (var n = 0; n < cases; n++)
        {
            var text = Mutate(Seeds[n % Seeds.Length], random);
            IReadOnlyList<ManifestItem> items;
            try
            {
                items = ManifestReader.Read(text, "fuzz");
            }
            catch (Exception ex)
            {
                Assert.Fail($"case {n} threw {ex.GetType().Name}: {ex.Message}\n--- input:\n{text}");
                return;
            }
            foreach (var item in items)
            {
                if (item.HasErrors)
                {
                    failures++;
                    Assert.True(item.Resource is null && item.V1 is null, $"case {n}: an item with errors also has a resource");
                    Assert.All(item.Errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
                    continue;
                }
                resources++;
                Assert.True((item.Resource is null) != (item.V1 is null), $"case {n}: expected exactly one resource");
                CheckWritable(item.ToV3()!, n, text);
            }
        }
        // Both outcomes must actually occur, or the mutator is not exercising the reader.
        Assert.InRange(resources, cases / 10, int.MaxValue);
        Assert.InRange(failures, cases / 10, int.MaxValue);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{cases} cases took {clock.Elapsed}");
    }

    private static void CheckWritable(CalicoResource resource, int n, string input)
    {
        var yaml = ManifestWriter.ToYaml(resource);
        var back = ManifestReader.Read(yaml, "written");
        Assert.True(back.Count == 1 && !back[0].HasErrors, $"case {n}: written YAML does not read back: {string.Join("; ", back.SelectMany(b => b.Errors))}\n--- input:\n{input}\n--- written:\n{yaml}");
        Assert.Equal(yaml, ManifestWriter.ToYaml(back[0].Resource!));
        _ = ManifestWriter.ToJson(resource);
    }
}
