using System.Globalization;
using System.Text.Json;

namespace Calico.Benchmarks.Harness;

/// <summary>
/// The C# half of the scale harness (scale/Invoke-ScaleBenchmark.ps1): `Calico.Benchmarks scale COMMAND --option value …`.
/// Each command does one job that is easier in-process than from PowerShell — load data fast, capture a kernel, time
/// the Core API, weigh a model — and prints one JSON object on stdout for the script to read.
/// </summary>
internal static class ScaleCommand
{
    private const string Usage = """
        usage: Calico.Benchmarks scale COMMAND [--option value ...]
          etcd-nodes     --endpoint URL --nodes N                 store N synthetic nodes as Calico does
          list-nodes     --endpoint URL --runs R                  time CalicoClient.Nodes.ListAsync
          txn-files      --endpoint URL --prefix KEY --out DIR    the keys under KEY as etcdctl txn scripts and a put-per-key script
          file-cluster   --path DIR --routes R                    a VXLAN cluster whose node-00000 has R routes, in a file store
          capture-kernel --routes R --namespace NS --out FILE [--writes DIR]
                                                                  sync that cluster into a new namespace and capture its kernel
          model-memory   --nodes N --blocks-per-node B            live heap of the cluster objects, planner and snapshot
          apply-profile  --endpoint URL --manifest FILE            Import-CalicoResource's steps per document, store calls counted
          sync-profile   --path DIR --namespace NS --node NAME --runs R
                                                                  a no-op resync step by step, kernel reads timed
          ipam-etcd      --endpoint URL --writers W --allocations A
          ipam-file      --path DIR --writers W --allocations A   W writer processes on one file store
          ipam-worker    STORE HOST COUNT POOL BLOCKSIZE PREFIX   (one writer process of ipam-file)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        if (args[0] == "ipam-worker" && args.Length == 7)
            return await Calico.TestTools.IpamCommands.AllocateAsync(args[1], args[2], Int(args[3]), args[4], Int(args[5]), args[6]);
        var options = Options.Parse(args.AsSpan(1));
        object result = args[0] switch
        {
            "etcd-nodes" => await EtcdCommands.StoreNodesAsync(options.Text("endpoint"), options.Number("nodes")),
            "list-nodes" => await EtcdCommands.ListNodesAsync(options.Text("endpoint"), options.Number("runs")),
            "txn-files" => await EtcdCommands.WriteTxnFilesAsync(options.Text("endpoint"), options.Text("prefix"), options.Text("out")),
            "file-cluster" => await FileClusterCommand.WriteAsync(options.Text("path"), options.Number("routes")),
            "capture-kernel" => KernelCapture.Capture(options.Number("routes"), options.Text("namespace"), options.Text("out"), options.TextOrNull("writes")),
            "model-memory" => ModelMemory.Weigh(options.Number("nodes"), options.Number("blocks-per-node")),
            "apply-profile" => await ProfileCommands.ApplyAsync(options.Text("endpoint"), options.Text("manifest")),
            "sync-profile" => await ProfileCommands.SyncAsync(options.Text("path"), options.Text("namespace"), options.Text("node"), options.Number("runs")),
            "ipam-etcd" => await IpamLoad.EtcdAsync(options.Text("endpoint"), options.Number("writers"), options.Number("allocations")),
            "ipam-file" => await IpamLoad.FileAsync(options.Text("path"), options.Number("writers"), options.Number("allocations")),
            _ => throw new ArgumentException($"unknown scale command '{args[0]}'\n{Usage}"),
        };
        Console.WriteLine(JsonSerializer.Serialize(result, result.GetType(), new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        return 0;
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(ReadOnlySpan<string> args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                    throw new ArgumentException($"expected --option value, found '{args[i]}'\n{Usage}");
                options._values[args[i][2..]] = args[i + 1];
            }
            return options;
        }

        public string Text(string name) => TextOrNull(name) ?? throw new ArgumentException($"--{name} is required\n{Usage}");

        public string? TextOrNull(string name) => _values.GetValueOrDefault(name);

        public int Number(string name) => Int(Text(name));
    }
}
