using System.Diagnostics;
using System.Globalization;
using System.Net;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;

namespace Calico.Benchmarks.Harness;

/// <summary>
/// IPAM under concurrent writers: W writers on 4 hosts, one address per request under its own handle, until A addresses
/// are handed out; every address must be handed out once. On etcd the writers are in-process clients, each with its own
/// connection; on the file store they are separate processes (ipam-worker, the allocator of Calico.TestTools).
/// </summary>
internal static class IpamLoad
{
    private const int Hosts = 4;

    public static async Task<object> EtcdAsync(string endpoint, int writers, int allocations)
    {
        const string cidr = "10.41.0.0/16";
        var pool = new IPPool { Metadata = new ObjectMeta { Name = "load" }, Spec = new IPPoolSpec { Cidr = cidr, BlockSize = 24 } };
        var nodes = Enumerable.Range(0, Hosts).Select(h => new Node { Metadata = new ObjectMeta { Name = "host" + h } }).ToList();
        var perWriter = allocations / writers;
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var store = new EtcdKeyValueStore(new EtcdOptions { Endpoints = [endpoint], RequestTimeout = TimeSpan.FromSeconds(30) });
            var client = new IpamClient(store, [pool], nodes);
            var host = "host" + (w % Hosts);
            var got = new List<IPAddress>();
            for (var i = 0; i < perWriter; i++)
            {
                var result = await client.AutoAssignAsync(new AutoAssignArgs
                {
                    Host = host, HandleId = $"w{w}-{i}", Attributes = new Dictionary<string, string> { [AllocationAttribute.NodeKey] = host },
                });
                got.AddRange(result.Addresses);
            }
            return got;
        })));
        return Report("etcd", writers, writers * perWriter, results.SelectMany(r => r).ToList(), clock.Elapsed);
    }

    public static async Task<object> FileAsync(string path, int writers, int allocations)
    {
        const string cidr = "10.40.0.0/16";
        var perWriter = allocations / writers;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, writers).Select(w => StartWorker(path, "host" + (w % Hosts), perWriter, cidr, "w" + w)).ToList();
        var outputs = await Task.WhenAll(workers.Select(async p =>
        {
            var output = await p.StandardOutput.ReadToEndAsync();
            var errors = await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0 || !output.TrimEnd().EndsWith("done", StringComparison.Ordinal))
                throw new InvalidOperationException($"an IPAM writer failed (exit {p.ExitCode}): {errors}");
            return output;
        }));
        var elapsed = clock.Elapsed;
        foreach (var p in workers) p.Dispose();
        var addresses = outputs.SelectMany(o => o.Split('\n')).Where(l => l.StartsWith("ip ", StringComparison.Ordinal))
            .Select(l => IPAddress.Parse(l[3..].Trim())).ToList();
        return Report("file", writers, writers * perWriter, addresses, elapsed);
    }

    private static Process StartWorker(string store, string host, int count, string cidr, string prefix)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under `dotnet Calico.Benchmarks.dll` the process is dotnet itself: it needs the assembly again.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(IpamLoad).Assembly.Location);
        foreach (var a in new[] { "scale", "ipam-worker", store, host, count.ToString(CultureInfo.InvariantCulture), cidr, "24", prefix })
            start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    private static object Report(string store, int writers, int requested, IReadOnlyList<IPAddress> addresses, TimeSpan elapsed)
    {
        var distinct = addresses.Distinct().Count();
        if (distinct != addresses.Count) throw new InvalidOperationException($"{addresses.Count - distinct} addresses were handed out twice");
        return new
        {
            store, writers, requested, handedOut = addresses.Count, duplicates = 0,
            seconds = Math.Round(elapsed.TotalSeconds, 2), perSecond = Math.Round(addresses.Count / elapsed.TotalSeconds),
        };
    }
}
