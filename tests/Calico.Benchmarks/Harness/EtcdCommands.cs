using System.Diagnostics;
using System.Text;
using Calico.Client;
using Calico.Datastore;
using Calico.Tests.Routing;

namespace Calico.Benchmarks.Harness;

/// <summary>The harness's etcd jobs: load synthetic nodes, time the Core API's list, turn stored keys into etcdctl txn scripts.</summary>
internal static class EtcdCommands
{
    /// <summary>etcd's default --max-txn-ops: the most puts one etcdctl txn may carry.</summary>
    public const int MaxTxnOps = 128;

    private static EtcdKeyValueStore Open(string endpoint) => new(new EtcdOptions { Endpoints = [endpoint], RequestTimeout = TimeSpan.FromSeconds(30) });

    /// <summary>Stores node-00000 … as Calico's client stores them (ResourceStore: uid, creationTimestamp), 32 writes in flight.</summary>
    public static async Task<object> StoreNodesAsync(string endpoint, int nodes)
    {
        using var store = Open(endpoint);
        var resources = new ResourceStore(store);
        var shape = new ScenarioShape { Nodes = nodes };
        var clock = Stopwatch.StartNew();
        using var inFlight = new SemaphoreSlim(32);
        await Task.WhenAll(Enumerable.Range(0, nodes).Select(async i =>
        {
            await inFlight.WaitAsync();
            try { await resources.CreateAsync(ClusterScenario.MakeNode(shape, i)); }
            finally { inFlight.Release(); }
        }));
        return new { nodes, loadMs = clock.Elapsed.TotalMilliseconds };
    }

    /// <summary>CalicoClient.Nodes.ListAsync (keys read in pages, then decoded), and the key-value list alone.</summary>
    public static async Task<object> ListNodesAsync(string endpoint, int runs)
    {
        using var client = new CalicoClient(Open(endpoint));
        var count = (await client.Nodes.ListAsync()).Items.Count;
        var nodes = await Measure.RepeatAsync(runs, async () => (await client.Nodes.ListAsync()).Items.Count);
        var keys = await Measure.RepeatAsync(runs, async () => (await client.Store.ListAsync(ResourceKeys.Prefix(Resources.Node.KindName))).Items.Count);
        return new { count, nodes, keysOnly = keys };
    }

    /// <summary>
    /// Every key under <paramref name="prefix"/> with its stored value, as `etcdctl txn` scripts of at most 128 puts
    /// (no compares, no failure branch; values Go-quoted, as etcdctl's txn reader unquotes them), and as a shell script
    /// of one `etcdctl put` per key.
    /// </summary>
    public static async Task<object> WriteTxnFilesAsync(string endpoint, string prefix, string directory)
    {
        using var store = Open(endpoint);
        var items = (await store.ListAsync(prefix)).Items;
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        for (var start = 0; start < items.Count; start += MaxTxnOps)
        {
            var script = new StringBuilder("\n");
            foreach (var kv in items.Skip(start).Take(MaxTxnOps)) script.Append("put ").Append(GoQuote(kv.Key)).Append(' ').Append(GoQuote(kv.ValueText)).Append('\n');
            script.Append("\n\n");
            var file = Path.Combine(directory, $"txn-{files.Count:D4}.txt");
            await File.WriteAllTextAsync(file, script.ToString());
            files.Add(file);
        }
        // The same writes one etcdctl process per key, as a plain shell loop would make them.
        var puts = Path.Combine(directory, "puts.sh");
        await File.WriteAllLinesAsync(puts, items.Select(kv => $"etcdctl --endpoints {endpoint} put {ShellQuote(kv.Key)} {ShellQuote(kv.ValueText)} >/dev/null"));
        return new { keys = items.Count, files, puts };
    }

    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string GoQuote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '"' or '\\') quoted.Append('\\').Append(c);
            else if (char.IsControl(c)) quoted.Append($"\\u{(int)c:x4}");
            else quoted.Append(c);
        }
        return quoted.Append('"').ToString();
    }
}
