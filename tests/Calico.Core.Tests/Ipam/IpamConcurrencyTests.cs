using System.Globalization;
using System.Net;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;
using Calico.Tests.Datastore;

namespace Calico.Tests.Ipam;

/// <summary>What the datastore must say after concurrent allocation: each address handed out once, counted once.</summary>
internal static class IpamLoad
{
    /// <summary>
    /// Checks that the blocks hold exactly the handed-out addresses, each under the handle of the one request that
    /// got it, and that every handle counts exactly its addresses per block.
    /// </summary>
    public static async Task VerifyAsync(IKeyValueStore store, IReadOnlyList<(IPAddress Address, string Handle)> handedOut)
    {
        Assert.Equal(handedOut.Count, handedOut.Select(h => h.Address).Distinct().Count());
        var expected = handedOut.ToDictionary(h => h.Address, h => h.Handle);
        var found = new Dictionary<IPAddress, (string Handle, string Block)>();
        foreach (var kv in (await store.ListAsync("/calico/ipam/v2/assignment/")).Items)
        {
            var block = IpamJson.DeserializeBlock(kv.ValueText);
            Assert.Null(block.FindInconsistency());
            for (var o = 0; o < block.Size; o++)
                if (block.AttributeOf(o) is { } attribute)
                    Assert.True(found.TryAdd(block.OrdinalToAddress(o), (attribute.HandleId!, block.Cidr.ToString())), $"{block.OrdinalToAddress(o)} twice");
        }
        Assert.Equal(expected.Count, found.Count);
        foreach (var (address, handle) in expected) Assert.Equal(handle, found[address].Handle);
        var handles = (await store.ListAsync(IpamKeys.HandlePrefix)).Items.ToDictionary(
            kv => kv.Key[IpamKeys.HandlePrefix.Length..], kv => IpamJson.DeserializeHandle(kv.ValueText).Block);
        Assert.Equal(found.Count, handles.Count);
        foreach (var (_, (handle, block)) in found) Assert.Equal(new Dictionary<string, int> { [block] = 1 }, handles[handle]);
    }

    /// <summary>Runs the TestTools allocator in <paramref name="processes"/> processes spread over <paramref name="hosts"/> hosts.</summary>
    public static async Task<(List<(IPAddress, string)> HandedOut, int Unmet)> RunProcessesAsync(string storePath, int processes, int hosts,
        int perProcess, string pool, int blockSize)
    {
        var tools = Enumerable.Range(0, processes).Select(p => TestTool.Start("ipam-alloc", storePath, "host" + (p % hosts),
            perProcess.ToString(CultureInfo.InvariantCulture), pool, blockSize.ToString(CultureInfo.InvariantCulture), "w" + p)).ToList();
        try
        {
            var handedOut = new List<(IPAddress, string)>();
            var unmet = 0;
            for (var p = 0; p < processes; p++)
            {
                Assert.Equal(0, await tools[p].WaitAsync(TimeSpan.FromMinutes(9)));
                var lines = tools[p].Lines.ToList();
                Assert.True(lines.LastOrDefault() == "done", $"writer {p} did not finish: {tools[p].Errors}");
                var n = 0;
                foreach (var line in lines.Take(lines.Count - 1))
                {
                    if (line == "none") unmet++;
                    else handedOut.Add((IPAddress.Parse(line["ip ".Length..]), $"w{p}-{n}"));
                    n++;
                }
                Assert.Equal(perProcess, n);
            }
            return (handedOut, unmet);
        }
        finally
        {
            foreach (var tool in tools) tool.Dispose();
        }
    }

    /// <summary>Runs <paramref name="writers"/> in-process clients, each with its own connection, over <paramref name="hosts"/> hosts.</summary>
    public static async Task<(List<(IPAddress, string)> HandedOut, int Unmet)> RunClientsAsync(Func<IKeyValueStore> open, int writers, int hosts,
        int perWriter, string pool, int blockSize)
    {
        var ipPool = new IPPool { Metadata = new ObjectMeta { Name = "load" }, Spec = new IPPoolSpec { Cidr = pool, BlockSize = blockSize } };
        var nodes = Enumerable.Range(0, hosts).Select(h => new Node { Metadata = new ObjectMeta { Name = "host" + h } }).ToList();
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            using var store = open();
            var client = new IpamClient(store, [ipPool], nodes);
            var got = new List<(IPAddress, string)>();
            var unmet = 0;
            for (var i = 0; i < perWriter; i++)
            {
                var handle = $"w{w}-{i}";
                var result = await client.AutoAssignAsync(new AutoAssignArgs
                {
                    Host = "host" + (w % hosts), HandleId = handle, Attributes = new Dictionary<string, string> { ["node"] = "host" + (w % hosts) },
                });
                if (result.Addresses.Count == 0) unmet++;
                else got.Add((result.Addresses[0], handle));
            }
            return (got, unmet);
        })));
        return (results.SelectMany(r => r.got).ToList(), results.Sum(r => r.unmet));
    }
}

/// <summary>Eight writer processes on one file datastore.</summary>
public class FileIpamConcurrencyTests
{
    [Fact]
    public async Task Eight_processes_exhaust_a_pool_without_handing_out_any_address_twice()
    {
        // 320 requests for 256 addresses: 16 blocks of 16, four hosts with two writers each, so writers race for
        // the same blocks, claim against each other and finally borrow.
        using var directory = new TempDirectory();
        var (handedOut, unmet) = await IpamLoad.RunProcessesAsync(directory.Path, processes: 8, hosts: 4, perProcess: 40, "10.30.0.0/24", 28);
        Assert.Equal(256, handedOut.Count);
        Assert.Equal(64, unmet);
        using var store = new FileKeyValueStore(directory.Path);
        await IpamLoad.VerifyAsync(store, handedOut);
    }
}

/// <summary>Eight clients, each with its own connection, on one etcd.</summary>
public class EtcdIpamConcurrencyTests(EtcdServer etcd) : IClassFixture<EtcdServer>
{
    [Fact]
    public async Task Eight_clients_exhaust_a_pool_without_handing_out_any_address_twice()
    {
        await etcd.WipeAsync();
        var (handedOut, unmet) = await IpamLoad.RunClientsAsync(() => etcd.OpenStore(), writers: 8, hosts: 4, perWriter: 40, "10.31.0.0/24", 28);
        Assert.Equal(256, handedOut.Count);
        Assert.Equal(64, unmet);
        using var store = etcd.OpenStore();
        await IpamLoad.VerifyAsync(store, handedOut);
    }
}
