using BenchmarkDotNet.Attributes;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;

namespace Calico.Benchmarks;

/// <summary>
/// One IPAM auto-assign (one address, its own handle, as the CNI plugin asks for a pod) on a host's first 1,000 pods:
/// every iteration starts from an empty store and makes 1,000 allocations, so the figure is the mean over a host
/// filling its first blocks (/26, 64 addresses: 16 block claims among them). Memory is the preview store -WhatIf runs
/// in (an in-memory overlay over an empty store); File is the embedded datastore on disk, with its journal and locks.
/// </summary>
[InvocationCount(Allocations, 1)]
public class IpamBenchmarks
{
    private const int Allocations = 1_000;

    public enum StoreKind { Memory, File }

    [Params(StoreKind.Memory, StoreKind.File)]
    public StoreKind Store { get; set; }

    private static readonly IPPool Pool = new()
    {
        Metadata = new ObjectMeta { Name = "default-ipv4-ippool" },
        Spec = new IPPoolSpec { Cidr = "10.64.0.0/10", BlockSize = 26 },
    };

    private static readonly Node Host = new() { Metadata = new ObjectMeta { Name = "node-00001" } };
    private static readonly Dictionary<string, string> Attributes = new() { [AllocationAttribute.NodeKey] = Host.Name };

    private string _directory = "";
    private FileKeyValueStore _file = null!;
    private IKeyValueStore _store = null!;
    private IpamClient _client = null!;
    private int _handle;

    [IterationSetup]
    public void EmptyStore()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"calico-bench-ipam-{Environment.ProcessId}-{Guid.NewGuid():n}");
        _file = new FileKeyValueStore(_directory);
        _store = Store == StoreKind.File ? _file : new OverlayKeyValueStore(_file);
        _client = new IpamClient(_store, [Pool], [Host]);
        _handle = 0;
    }

    [IterationCleanup]
    public void RemoveStore()
    {
        _store.Dispose();
        _file.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public IpamAssignments AutoAssignOne() => _client.AutoAssignAsync(new AutoAssignArgs
    {
        Host = Host.Name,
        HandleId = "k8s-pod-network." + _handle++,
        Attributes = Attributes,
    }).GetAwaiter().GetResult().ThrowIfIncomplete();
}
