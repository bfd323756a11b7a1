using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Calico.Client;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Reconcile;
using Calico.Datastore;
using Calico.Manifests;
using Calico.Net;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Benchmarks.Harness;

/// <summary>
/// Where the time of a slow whole-system path goes, for docs/PERFORMANCE.md: the same steps the cmdlet takes, each
/// timed, with every datastore call counted (<see cref="CountingStore"/>) and every kernel read timed.
/// </summary>
internal static class ProfileCommands
{
    /// <summary>
    /// Import-CalicoResource's path for a manifest: read it, plan each document into one <see cref="ApplyBatch"/>
    /// (one read of the datastore per kind), then commit, against an etcd whose /calico prefix the caller has emptied.
    /// </summary>
    public static async Task<object> ApplyAsync(string endpoint, string manifest)
    {
        var clock = Stopwatch.StartNew();
        var items = ManifestReader.Read(await File.ReadAllTextAsync(manifest), manifest);
        var readMs = clock.Elapsed.TotalMilliseconds;
        var store = new CountingStore(new EtcdKeyValueStore(new EtcdOptions { Endpoints = [endpoint], RequestTimeout = TimeSpan.FromSeconds(30) }));
        using var client = new CalicoClient(store);
        var batch = new ApplyBatch(client);
        foreach (var item in items)
        {
            var resource = item.ToV3()!;
            batch.Accept(resource, await batch.PlanAsync(resource));
        }
        var planMs = clock.Elapsed.TotalMilliseconds - readMs;
        var written = await batch.CommitAsync();
        if (written.FirstOrDefault(w => w.Error is not null) is { } failed) throw failed.Error!;
        var commitMs = clock.Elapsed.TotalMilliseconds - readMs - planMs;
        return new
        {
            documents = items.Count, totalMs = Math.Round(clock.Elapsed.TotalMilliseconds), readManifestMs = Math.Round(readMs),
            planMs = Math.Round(planMs), commitMs = Math.Round(commitMs), inStoreMs = Math.Round(store.TotalMs), store = store.Report(),
        };
    }

    /// <summary>
    /// Sync-CalicoDataplane's no-op resync, step by step (HostDataplane's read, plan and diff), on a file store and a
    /// namespace already in sync: medians of <paramref name="runs"/> runs after one warm-up.
    /// </summary>
    public static async Task<object> SyncAsync(string path, string namespaceName, string nodeName, int runs)
    {
        using var client = new CalicoClient(new FileKeyValueStore(path));
        var kernel = new TimingKernel(new IpRoute2Kernel(NetworkNamespace.Named(namespaceName)));
        var reconciler = new DataplaneReconciler(kernel);
        var phases = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        void Add(string phase, double ms) => (phases.TryGetValue(phase, out var list) ? list : phases[phase] = []).Add(ms);
        for (var run = 0; run <= runs; run++)
        {
            kernel.Reset();
            var clock = Stopwatch.StartNew();
            var nodes = (await client.Nodes.ListAsync()).Items;
            var nodesMs = clock.Elapsed.TotalMilliseconds;
            var pools = (await client.IPPools.ListAsync()).Items;
            var poolsMs = clock.Elapsed.TotalMilliseconds;
            var blocks = await client.Ipam.ListBlocksAsync();
            var blocksMs = clock.Elapsed.TotalMilliseconds;
            var local = nodes.First(n => n.Name == nodeName);
            var address = IPPrefix.TryParseAddressOrPrefix(local.IPv4Address, out var prefix, out _) ? prefix.Address : (IPAddress?)null;
            var facts = HostFacts.Read(kernel, address);
            var factsMs = clock.Elapsed.TotalMilliseconds;
            var plan = RoutePlanner.Plan(nodeName, nodes, pools, blocks, facts.ApplyTo(new RouteSettings()));
            var planMs = clock.Elapsed.TotalMilliseconds;
            var readsBeforeDiff = kernel.TotalMs;
            var diff = reconciler.Diff(plan, facts);
            var diffMs = clock.Elapsed.TotalMilliseconds;
            if (!diff.IsEmpty) throw new InvalidOperationException($"{namespaceName} is not in sync: {diff.Changes.Count} changes");
            if (run == 0) continue;
            Add("list nodes", nodesMs);
            Add("list pools", poolsMs - nodesMs);
            Add("list blocks", blocksMs - poolsMs);
            Add("host facts (ip link, ip address)", factsMs - blocksMs);
            Add("plan", planMs - factsMs);
            Add("diff: kernel reads", kernel.TotalMs - readsBeforeDiff);
            Add("diff: comparison", diffMs - planMs - (kernel.TotalMs - readsBeforeDiff));
            Add("total", diffMs);
            // Outside the total: how much of "list blocks" is reading the values rather than decoding them.
            var valuesOnly = Stopwatch.StartNew();
            await client.Store.ListAsync(Ipam.IpamKeys.BlockRoot);
            Add("list blocks: values read only", valuesOnly.Elapsed.TotalMilliseconds);
            foreach (var (read, ms) in kernel.Reads) Add("read: " + read, ms);
        }
        return phases.ToDictionary(p => p.Key, p => Math.Round(Timing.Median(p.Value), 1));
    }

    /// <summary>A kernel whose reads are timed, per kind, summed over the calls since <see cref="Reset"/>.</summary>
    private sealed class TimingKernel(IKernel inner) : IKernel
    {
        public Dictionary<string, double> Reads { get; } = new(StringComparer.Ordinal);
        public double TotalMs => Reads.Values.Sum();
        public void Reset() => Reads.Clear();

        private T Time<T>(string what, Func<T> read)
        {
            var start = Stopwatch.GetTimestamp();
            var value = read();
            Reads[what] = Reads.GetValueOrDefault(what) + Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return value;
        }

        public NetworkNamespace Namespace => inner.Namespace;
        public IReadOnlyList<Link> GetLinks() => Time("ip link", inner.GetLinks);
        public IReadOnlyList<InterfaceAddress> GetAddresses() => Time("ip address", inner.GetAddresses);
        public IReadOnlyList<Route> GetRoutes(AddressFamily family) => Time("ip route " + (family == AddressFamily.InterNetwork ? "-4" : "-6"), () => inner.GetRoutes(family));
        public IReadOnlyList<Neighbour> GetNeighbours() => Time("ip neigh", inner.GetNeighbours);
        public IReadOnlyList<FdbEntry> GetFdbEntries() => Time("bridge fdb", inner.GetFdbEntries);
        public IReadOnlyDictionary<SysctlKey, string> GetSysctls(IEnumerable<SysctlKey> keys) => Time("sysctls", () => inner.GetSysctls(keys));
        public RouteLookup LookupRoute(IPAddress destination) => Time("ip route get", () => inner.LookupRoute(destination));
        public IReadOnlyList<NftablesTable> GetNftablesTables() => Time("nft list tables", inner.GetNftablesTables);
        public string? GetNftablesTable(NftablesTable table) => Time("nft list table", () => inner.GetNftablesTable(table));
        public void Apply(KernelBatch batch) => throw new InvalidOperationException("the profile only reads");
        public void ApplyNftables(string script) => throw new InvalidOperationException("the profile only reads");
    }
}
