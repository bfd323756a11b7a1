using System.Globalization;
using Calico.Client;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;

namespace Calico.Analysis;

public sealed partial class ClusterSnapshot
{
    /// <summary>How often a read is repeated while nodes or pools keep changing under it.</summary>
    public const int ReadAttempts = 5;

    /// <summary>
    /// Reads nodes, IP pools and IPAM blocks so that they belong together: the blocks are read between two reads of
    /// the nodes and pools that agree (same names, same revisions), so no node or pool changed while the blocks were
    /// read. A datastore cannot list three prefixes at one revision, so this is how one consistent picture is had.
    /// Items that cannot be read are left out and listed in <see cref="Errors"/>.
    /// </summary>
    /// <exception cref="DatastoreException">The datastore cannot be read, or nodes or pools changed on every attempt.</exception>
    public static async Task<ClusterSnapshot> ReadAsync(CalicoClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var resources = client.Resources;
        var nodes = await resources.ListAsync<Node>(cancellationToken).ConfigureAwait(false);
        var pools = await resources.ListAsync<IPPool>(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var blocks = await client.Store.ListAsync(IpamKeys.BlockRoot, cancellationToken).ConfigureAwait(false);
            // Nothing at all was written between the first list and the last: the three are one picture.
            if (Revision(nodes.ResourceVersion) == blocks.Revision) return Make(client, nodes, pools, blocks);
            var nodesAfter = await resources.ListAsync<Node>(cancellationToken).ConfigureAwait(false);
            var poolsAfter = await resources.ListAsync<IPPool>(cancellationToken).ConfigureAwait(false);
            if (SameVersions(nodes, nodesAfter) && SameVersions(pools, poolsAfter)) return Make(client, nodesAfter, poolsAfter, blocks);
            if (attempt == ReadAttempts)
            {
                throw new DatastoreException(
                    $"nodes or IP pools changed while the cluster was being read, {ReadAttempts} times in a row; try again when they settle",
                    client.Location);
            }
            nodes = nodesAfter;
            pools = poolsAfter;
        }
    }

    private static ClusterSnapshot Make(CalicoClient client, ResourceList<Node> nodes, ResourceList<IPPool> pools, KeyValueList blockList)
    {
        var errors = new List<DatastoreCorruptException>(nodes.Errors.Concat(pools.Errors));
        var blocks = new IpamStore(client.Store).DecodeBlocks(blockList, errors);
        return new ClusterSnapshot(nodes.Items, pools.Items, blocks.Select(b => b.Block), errors);
    }

    /// <summary>Every change bumps a key's revision, so equal name → revision maps mean nothing changed in between.</summary>
    private static bool SameVersions<T>(ResourceList<T> before, ResourceList<T> after) where T : CalicoResource =>
        before.Items.Count == after.Items.Count
        && before.Errors.Count == after.Errors.Count
        && before.Items.Select(r => (r.Name, r.ResourceVersion)).SequenceEqual(after.Items.Select(r => (r.Name, r.ResourceVersion)))
        && before.Errors.Select(e => e.Key).SequenceEqual(after.Errors.Select(e => e.Key));

    private static long Revision(string resourceVersion) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : -1;
}
