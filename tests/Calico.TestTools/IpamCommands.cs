using System.Globalization;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;

namespace Calico.TestTools;

public static class IpamCommands
{
    /// <summary>
    /// Asks for <paramref name="count"/> single addresses for <paramref name="host"/>, each under its own handle
    /// "&lt;handlePrefix&gt;-&lt;n&gt;", printing "ip &lt;address&gt;" per address handed out and "none" per request
    /// that got nothing, then "done".
    /// </summary>
    public static async Task<int> AllocateAsync(string storePath, string host, int count, string poolCidr, int blockSize, string handlePrefix)
    {
        using var store = new FileKeyValueStore(storePath);
        var pool = new IPPool { Metadata = new ObjectMeta { Name = "load" }, Spec = new IPPoolSpec { Cidr = poolCidr, BlockSize = blockSize } };
        var client = new IpamClient(store, [pool], [new Node { Metadata = new ObjectMeta { Name = host } }]);
        var stdout = Console.Out;
        for (var i = 0; i < count; i++)
        {
            var result = await client.AutoAssignAsync(new AutoAssignArgs
            {
                Host = host,
                HandleId = handlePrefix + "-" + i.ToString(CultureInfo.InvariantCulture),
                Attributes = new Dictionary<string, string> { ["node"] = host },
            });
            stdout.WriteLine(result.Addresses.Count == 0 ? "none" : "ip " + result.Addresses[0]);
        }
        stdout.WriteLine("done");
        stdout.Flush();
        return 0;
    }
}
